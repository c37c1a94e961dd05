import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Testing

/// Only the served version of a model name exports drift, live-quality and test-quality gauges: a
/// version that stops being served (another is served, or it is deleted) loses them, in a single
/// process and in the supervisor's merged `/metrics`, so DataDriftHigh and ModelAccuracyLow stop
/// firing once the remedy (retrain + serve) is done.
@Suite(.serialized) struct ServedVersionGaugeTests {
    static let gauges = ["model_psi_max", "model_live_accuracy", "model_accuracy"]

    @Test func servingAnotherVersionDropsTheOldVersionsGauges() async throws {
        try await TestService.run(configure: { $0.driftMinimumRows = 10 }) { client, _ in
            let old = try await client.trainModel(on: ModelVersionTests.iris, name: "iris-gauges")
            let rows = try ScenarioTraffic("drift").draw(30, seed: 5).map { $0.row }
            let predicted = try await client.predictAll(old, rows)
            for p in predicted {
                #expect(try await client.json(.post, "/api/models/\(old)/feedback", ["prediction_id": p.id, "label": p.label]).status == .ok)
            }
            #expect(try await client.call(.get, "/api/models/\(old)/drift").status == .ok)
            for name in Self.gauges { #expect(try await client.metric(name, model: old) != nil, "\(name) before the retrain") }

            let retrained = try await client.call(.post, "/api/models/\(old)/retrain")
            let new = try #require(retrained.json["id"] as? String, "\(retrained.text)")
            #expect(try await client.call(.post, "/api/models/\(new)/serve").status == .ok)
            for name in Self.gauges { #expect(try await client.metric(name, model: old) == nil, "\(name) of the old version after serve") }
            #expect(try await client.metric("model_accuracy", model: new) != nil, "the served version keeps its gauges")

            // Serving the old one back brings its test-quality gauge back; the new one loses its.
            #expect(try await client.call(.post, "/api/models/\(old)/serve").status == .ok)
            #expect(try await client.metric("model_accuracy", model: old) != nil)
            #expect(try await client.metric("model_accuracy", model: new) == nil)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyWorkerAndTheMergedMetricsDropTheOldVersion() async throws {
        let service = try PoolProcess(["--workers", "2", "--drift-min-rows", "10"])
        defer { service.stop() }
        _ = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let old = try await service.irisModel()
        // Fresh connections, so that both workers serve some of the drifted rows and labels.
        for item in try ScenarioTraffic("drift").draw(30, seed: 9) {
            let reply = try await MonitoringPoolTests.send(service, "/api/models/\(old)/predict", json: item.row)
            #expect(reply.status == 200, "\(reply.text)")
            let id = reply.json["prediction_id"] as? String ?? "", label = reply.json["prediction"] as? String ?? ""
            #expect(try await MonitoringPoolTests.send(service, "/api/models/\(old)/feedback", json: ["prediction_id": id, "label": label]).status == 200)
        }
        let labels = "model=\"\(old)\""
        try await Self.waitUntil("the old version's gauges appear") {
            for name in Self.gauges {
                if try await service.metric(name, matching: labels) == 0 { return false }
            }
            return true
        }
        let retrained = try await service.request(.POST, "/api/models/\(old)/retrain", json: [String: Any]())
        let new = try #require(retrained.json["id"] as? String, "\(retrained.text)")
        #expect(try await service.request(.POST, "/api/models/\(new)/serve").status == 200)
        // Each worker rereads the served version from the store every 5 s.
        try await Self.waitUntil("the old version's gauges leave the merged /metrics") {
            let text = try await service.request(.GET, "/metrics").text
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(labels) }
            return !lines.contains { line in Self.gauges.contains { line.hasPrefix($0 + "{") } }
        }
        #expect(try await service.metric("model_accuracy", matching: "model=\"\(new)\"") > 0)
    }

    /// Polls `condition` for up to 60 s (an event, not a duration: each worker republishes every 5 s).
    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting until \(what)")
    }
}
