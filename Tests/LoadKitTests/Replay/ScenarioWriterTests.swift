import Foundation
import Testing
@testable import LoadKit

@Suite struct ScenarioWriterTests {
    /// 2,000 requests over 10 minutes, rising then falling, across five routes with ids and a body.
    static func log() -> (TrafficLog, [String: Int]) {
        var requests: [RecordedRequest] = []
        var mix: [String: Int] = [:]
        let routes: [(String, String, Int)] = [
            ("GET", "/api/items/%d", 50), ("GET", "/api/items", 25), ("POST", "/api/orders", 15),
            ("DELETE", "/api/items/%d", 7), ("PROPFIND", "/dav/%d", 3),
        ]
        let weights = routes.map(\.2)
        var picker = WeightedPicker(weights: weights)
        var t = 0.0
        for i in 0..<2000 {
            let r = routes[picker.next()]
            let target = r.1.replacingOccurrences(of: "%d", with: String(100 + i % 13))
            let body = r.0 == "POST" ? Array(#"{"sku": "${not-a-template}"}"#.utf8) : nil
            let headers = body == nil ? [] : [RecordedRequest.Header(name: "Content-Type", value: "application/json")]
            requests.append(RecordedRequest(time: 1_796_292_000 + t, method: r.0, target: target, headers: headers,
                                            body: body, line: i + 1))
            mix[r.0 + " " + RouteName.of(target), default: 0] += 1
            // Rate: 2/s at the edges, 5/s in the middle (a triangle over ~10 minutes).
            let progress = Double(i) / 2000
            t += 1 / (2 + 6 * min(progress, 1 - progress))
        }
        return (TrafficLog(format: .jsonLines, requests: requests, rejectedCount: 0, rejected: []), mix)
    }

    @Test func scenarioKeepsTheRouteMixAndLoads() throws {
        let (log, mix) = Self.log()
        let replay = try ReplayPlan(log: log, host: "http://127.0.0.1:8000", settings: ReplaySettings())
        let yaml = ScenarioWriter.yaml(replay, host: "http://127.0.0.1:8000", source: "app.jsonl")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try ScenarioLoader.load(path: path)

        let tasks = plan.userClasses.flatMap(\.tasks)
        let total = Double(tasks.map(\.weight).reduce(0, +))
        #expect(tasks.count == mix.count)
        for task in tasks {
            let r = task.requests[0]
            let observed = Double(mix[r.method + " " + r.name] ?? 0) / 2000
            #expect(abs(Double(task.weight) / total - observed) <= 0.01, "\(r.method) \(r.name)")
        }
        // Ids become choice variables of the values seen; bodies stay literal (`$${`).
        let items = try #require(tasks.first { $0.requests[0].name == "/api/items/{id}" && $0.requests[0].method == "GET" })
        #expect(items.requests[0].path.source.contains("${id_items}"))
        #expect(plan.variables.contains { $0.name == "id_items" })
        let order = try #require(tasks.first { $0.requests[0].method == "POST" })
        guard case .text(let body, let type) = order.requests[0].body else {
            Issue.record("the POST lost its body")
            return
        }
        #expect(body.isStatic && type == "application/json")
        #expect(tasks.contains { $0.requests[0].method == "PROPFIND" })

        // The rate curve: ramping arrival stages whose schedule offers about as many requests as the log.
        guard case .rampingArrival(let start, let stages, _, let maxUsers) = plan.load else {
            Issue.record("not a ramping arrival rate: \(plan.load)")
            return
        }
        #expect(maxUsers >= 10 && stages.count <= ScenarioWriter.maxStages)
        let offered = ArrivalSchedule(startRate: start, stages: stages).totalCount
        #expect(abs(Double(offered) - 2000) / 2000 < 0.05, "schedule offers \(offered)")
        #expect(stages.map(\.target).max()! > 2 * stages.first!.target)
    }
}
