import Foundation
import Testing
@testable import LoadKit

/// Issue #18: a server that accepts and never answers must not pass a CI gate.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SilentServerTests {
    @Test func requestsStillWaitingAtTheStopAreFailuresInEveryOutput() async throws {
        let server = try await TestServer.start(silent: true)
        defer { Task { await server.stop() } }
        var plan = try LoadPlan.single(url: server.url + "/", load: .closed(users: 10, spawnRate: 10_000, runTime: nil))
        plan.thresholds = [try Threshold("rate(failed) < 0.01")]
        plan.stopTimeout = 0.2  // the drain runs, then still-waiting requests are cut off
        let dir = try ScenarioDir()
        let prefix = dir.url.appendingPathComponent("silent").path
        let files = ReportFiles(csvPrefix: prefix, csvFullHistory: false, html: prefix + ".html", json: prefix + ".json",
                                junit: prefix + ".xml")
        try files.prepare(plan: plan)
        // Stopped once all 10 users are connected (and the preflight was): a fixed run time could end
        // before a user of a loaded machine had started.
        let summary = try await runUntil(plan, options: RunOptions(tickInterval: 0.25, onTick: { files.tick($0) })) { _ in
            server.connectionCount >= 11
        }
        try files.finish(plan: plan, summary: summary)

        let cause = "StopTimeout: still waiting for the response when the run stopped (stop_timeout 0.2s)"
        #expect(summary.abandonedRequests == 10)
        #expect(summary.stats.total.requests == 10)
        #expect(summary.stats.total.failures == 10)
        #expect(summary.stats.failures.map(\.error) == [cause])
        #expect(!summary.passed)
        #expect(summary.thresholds.first?.message == "rate(failed)=1")

        let console = ConsoleReport.final(summary)
        #expect(console.contains(cause) && console.contains("✗ rate(failed) < 0.01"))
        #expect(console.contains("10 request(s) were still waiting at the stop timeout: counted as StopTimeout failures"))
        let stats = try String(contentsOfFile: prefix + "_stats.csv", encoding: .utf8)
        #expect(stats.contains("\r\n,Aggregated,10,10,"), "\(stats)")
        let failures = try String(contentsOfFile: prefix + "_failures.csv", encoding: .utf8)
        #expect(failures.contains("GET,/,\(cause),10,"), "\(failures)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: prefix + ".json"))) as? [String: Any]
        let total = ((json?["summary"] as? [String: Any])?["stats"] as? [String: Any])?["total"] as? [String: Any]
        #expect(json?["passed"] as? Bool == false)
        #expect(total?["failures"] as? Int == 10)
        let junit = try String(contentsOfFile: prefix + ".xml", encoding: .utf8)
        #expect(junit.contains(#"<failure type="threshold" message="rate(failed)=1">"#))
        let html = try String(contentsOfFile: prefix + ".html", encoding: .utf8)
        #expect(html.contains(cause))
    }

    @Test func aGateOverZeroSamplesFails() throws {
        let aggregator = StatsAggregator(keys: [StatKey(method: "GET", name: "/")], historyCapacity: 10)
        aggregator.absorb([IntervalSample(entries: [EntryAccumulator()], failures: [:], exceptions: [:], maxLagNanos: 0,
                                          iterationsStarted: 0, iterationsDropped: 0)], seconds: 5)
        let empty = aggregator.snapshot(timestamp: Date(), elapsed: 5, phase: .stopped, users: 0, usersByClass: [:],
                                        arrival: nil, health: HealthMonitor().sampleForTest())
        for expression in ["rate(failed) < 0.01", "failures == 0", "fps < 1", "p(95) < 500ms", "count >= 0", "rps >= 0"] {
            for name in [nil, "/"] as [String?] {
                let result = ThresholdResult(evaluating: try Threshold(expression, name: name), in: empty)
                #expect(!result.passed, "\(expression) passed over 0 requests")
                let expected = name == nil ? "no samples: 0 requests were measured, so the gate cannot hold"
                    : #"no requests named "/""#
                #expect(result.message == expected)
            }
        }
    }
}
