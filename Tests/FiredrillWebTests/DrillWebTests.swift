@testable import DrillKit
import Foundation
import Testing
@testable import FiredrillWeb

/// `firedrill drill --web`: the steps as they run, then the journal's report at the same address.
@Suite("Drill web UI", .serialized)
struct DrillWebTests {
    @Test("steps show as running then with their outcome; at the end / is the report")
    func stepsThenReport() async throws {
        let watch = DrillWatch(title: "a drill", runbook: "runbooks/x.md")
        let server = try await DrillWebUI.start(watch: watch, settings: WebSettings(port: 0), logger: WebFixture.quiet)
        let base = "http://127.0.0.1:\(server.port)"
        func live() async throws -> [String: Any] { try await WebFixture.fetch(base + "/drill/live").json }
        #expect(try await live()["state"] as? String == "starting")
        #expect(try await WebFixture.fetch(base + "/").body.contains("<title>firedrill drill</title>"))
        #expect(try await WebFixture.fetch(base + "/report").status == 404)

        let t0 = Date()
        watch.step("inject errors", nil)
        var steps = try await live()["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["outcome"] as? String } == ["running"])
        let result = DrillJournal.StepResult(
            title: "inject errors", kind: "fault", line: 12, outcome: .passed, isExpectation: false,
            detail: "fault f_1 active", startedAt: t0, endedAt: t0.addingTimeInterval(0.5))
        watch.step("inject errors", result)
        steps = try await live()["steps"] as? [[String: Any]] ?? []
        #expect(steps.count == 1)
        #expect(steps.first?["outcome"] as? String == "passed")
        #expect(steps.first?["line"] as? Int == 12)

        let journal = DrillJournal(
            title: "a drill", runbook: "runbooks/x.md", status: .completed, deviated: false, startedAt: t0, endedAt: Date(),
            stack: .init(kind: "attach", serviceURL: "http://127.0.0.1:1", prometheusURL: nil, alertmanagerURL: nil, monitoringGap: nil),
            timeScale: 1, variables: [:], steadyStateBefore: [], steadyStateAfter: [], steps: [result], rollbacks: [],
            timeline: [], series: [], keyTimes: .init(), reason: nil)
        watch.finish(journal)
        #expect(try await live()["state"] as? String == "finished")
        let page = try await WebFixture.fetch(base + "/")
        #expect(page.body == DrillHTMLReport.render(journal))
        #expect(try await WebFixture.fetch(base + "/junit.xml").body.contains("<testsuites"))
        #expect(try await WebFixture.fetch(base + "/journal.json").status == 200)
        await server.stop()
    }
}
