import Foundation
import Testing
@testable import LoadKit

/// Issue #19: coordinated omission in the closed model is detected, reported in every output and,
/// with `--co-correction`, corrected to what the open model measures on the same server.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CoordinatedOmissionTests {
    /// Every response takes 5 ms; in the last second of every 4 s the server holds all of them.
    static let stalling = "/periodic-stall?every=4&stall=1&ms=5"

    private func closedRun(_ server: TestServer, path: String, seconds: Double, correct: Bool) async throws -> (LoadPlan, RunSummary) {
        let plan = Plans.sequence(server, [Plans.get(path, name: "stall")], users: 10, spawnRate: 0, runTime: seconds,
                                  stopTimeout: 3)
        var options = RunOptions(tickInterval: 0.25)
        options.coCorrection = correct
        return (plan, try await runToEnd(plan, options: options))
    }

    @Test func correctedClosedModelMatchesTheOpenModelOnAStallingServer() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // Two whole stall periods in each run, so both see 25 % of their time stalled.
        let (plan, closed) = try await closedRun(server, path: Self.stalling, seconds: 8, correct: true)
        var open = plan
        open.load = .constantArrival(rate: 100, duration: 8, preAllocatedUsers: 20, maxUsers: 400)
        let openSummary = try await runToEnd(open, options: RunOptions(tickInterval: 0.25))
        #expect(openSummary.coordinatedOmission == nil, "the open model measures from the schedule: nothing is omitted")
        let openP99 = openSummary.stats.total.percentile(99)

        let co = try #require(closed.coordinatedOmission)
        #expect(co.detected)
        // The median response (5 ms, more on a busy machine) with no wait; a stall is 10× that.
        #expect(co.expectedIntervalMs >= 5 && co.expectedIntervalMs < 100, "\(co.expectedIntervalMs)")
        #expect(co.worstMs > 900)
        // Two 1 s stalls in 8 s.
        #expect(co.affectedPercent > 15 && co.affectedPercent < 40, "\(co.affectedPercent)")
        let rawP95 = closed.stats.total.percentile(95)
        let openP95 = openSummary.stats.total.percentile(95)
        let corrected = try #require(co.corrected?.last)
        #expect(corrected.name == "Aggregated")
        let correctedP99 = corrected.percentiles[EntryStats.levels.firstIndex(of: 99)!]
        #expect(co.backfilledSamples > 0 && corrected.correctedCount == corrected.requests + co.backfilledSamples)
        // The raw closed model hides the stall; corrected, it agrees with the open model within 10 %.
        #expect(rawP95 < openP95 / 2, "raw p95 \(rawP95) ms vs open p95 \(openP95) ms")
        #expect(abs(correctedP99 - openP99) <= 0.1 * openP99, "corrected p99 \(correctedP99) ms vs open p99 \(openP99) ms")

        // The warning, with the share of the run, in all three outputs.
        let share = String(format: "%.1f", co.affectedPercent) + " % of the run"
        let console = ConsoleReport.final(closed)
        #expect(console.contains("WARNING: coordinated omission") && console.contains(share))
        #expect(console.contains("corrected for coordinated omission"))
        let html = HTMLReport.html(plan: plan, summary: closed)
        #expect(html.contains("<h2>Coordinated omission</h2>") && html.contains(share))
        let json = try JSONSerialization.jsonObject(with: JSONReport(plan: plan, summary: closed).encoded()) as? [String: Any]
        let jsonCO = (json?["summary"] as? [String: Any])?["coordinated_omission"] as? [String: Any]
        #expect((jsonCO?["warning"] as? String)?.contains(share) == true)
        #expect((jsonCO?["corrected"] as? [[String: Any]])?.last?["percentiles"] != nil)
    }

    @Test("Reset stats after a stall clears the coordinated-omission evidence (the same run without a reset keeps it)")
    func resetClearsTheEvidence() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // 50 ms per response (steady: no warning, as below); every response held for 1 s early in the run.
        let plan = Plans.sequence(server, [Plans.get("/stall?ms=50", name: "stall")], users: 10, spawnRate: 0, runTime: 3.5,
                                  stopTimeout: 3)
        func run(resetting: Bool) async throws -> OmissionReport? {
            let run = try LoadRun(plan: plan, options: RunOptions(tickInterval: 0.25))
            try await run.start()
            try await Task.sleep(for: .milliseconds(300))
            server.stallAll(for: 1)
            try await Task.sleep(for: .milliseconds(1600))
            if resetting { run.resetStats() }
            return await run.wait().coordinatedOmission
        }
        let kept = try #require(try await run(resetting: false))
        #expect(kept.detected && kept.worstMs > 900, "\(kept)")
        let reset = try #require(try await run(resetting: true))
        #expect(!reset.detected && reset.stalledRequests == 0 && reset.warning == nil, "\(reset)")
    }

    @Test func aSteadyServerGetsNoWarning() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // 50 ms per response: a stall is 500 ms or more, beyond this machine's usual scheduling hiccups.
        let (plan, summary) = try await closedRun(server, path: "/stall?ms=50", seconds: 3, correct: false)
        let co = try #require(summary.coordinatedOmission)
        #expect(!co.detected && co.warning == nil && co.corrected == nil, "\(co)")
        #expect(!ConsoleReport.final(summary).contains("coordinated omission"))
        #expect(!HTMLReport.html(plan: plan, summary: summary).contains("Coordinated omission"))
        let json = String(decoding: try JSONReport(plan: plan, summary: summary).encoded(), as: UTF8.self)
        #expect(json.contains("\"stalled_requests\" : 0") && !json.contains("\"warning\""))
    }

    @Test func theCorrectionBackFillsFromTheExpectedInterval() throws {
        var h = LatencyHistogram.latency()
        _ = h.record(1000, count: 99)   // 99 responses of 1 ms…
        _ = h.record(100_000)           // …and one of 100 ms: the user missed 99 requests meanwhile.
        var acc = EntryAccumulator()
        acc.count = 100
        acc.sumMicros = 99 * 1000 + 100_000
        acc.maxMicros = 100_000
        acc.minMicros = 1000
        acc.histogram = h
        let entry = EntryStats(method: "GET", name: "x", cumulative: acc, elapsed: 1, current: EntryAccumulator(),
                               currentSeconds: 1, window: nil)
        let row = OmissionDetector.corrected(entry, interval: 1000)
        // 99 back-filled samples: 99 ms, 98 ms, … 1 ms.
        #expect(row.correctedCount == 199)
        #expect(row.rawPercentiles[0] == 1)
        let median = row.percentiles[0]
        #expect(median >= 1 && median <= 2, "\(median)")   // half of 199 samples are ≤ ~1 ms
        let p90 = row.percentiles[EntryStats.levels.firstIndex(of: 90)!]
        #expect(p90 > 75 && p90 < 85, "\(p90)")             // the 180th of 199 samples: ~81 ms
    }

    @Test func theExpectedIntervalFollowsTheWaitsAndThePacing() {
        let get = Plans.get("/")
        func cls(_ wait: WaitTime, requests: Int = 1, weight: Int = 1) -> UserClassSpec {
            UserClassSpec(name: "c", weight: weight, wait: wait,
                          tasks: [TaskSpec(name: "t", requests: Array(repeating: get, count: requests))])
        }
        #expect(OmissionDetector.expectedIntervalMicros(classes: [cls(.none)], medianMicros: 500) == 500)
        // 1–2 s between tasks of two requests: 0.75 s of wait per request.
        #expect(OmissionDetector.expectedIntervalMicros(classes: [cls(.between(1, 2), requests: 2)], medianMicros: 500)
            == 750_500)
        // Pacing sets the interval when it is longer than the task.
        #expect(OmissionDetector.expectedIntervalMicros(classes: [cls(.constantPacing(1))], medianMicros: 500) == 1_000_000)
        #expect(OmissionDetector.expectedIntervalMicros(classes: [cls(.constantThroughput(1000))], medianMicros: 5000) == 5000)
        // Two classes combine as their requests do: 1 user every 1 ms and 1 user every 3 ms → 1.5 ms per request.
        let mixed = OmissionDetector.expectedIntervalMicros(classes: [cls(.none), cls(.constant(0.002))], medianMicros: 1000)
        #expect(abs(mixed - 1500) < 1e-6, "\(mixed)")
    }

    @Test func blockedTimeIsTheUnionOfTheStalls() {
        let ticks: [OmissionDetector.TickMaximum] = [
            .init(end: 2, maxMicros: 1_000_000), .init(end: 2.5, maxMicros: 1_000_000),  // 1–2 and 1.5–2.5: 1.5 s
            .init(end: 6, maxMicros: 500_000), .init(end: 8, maxMicros: 50_000),         // 5.5–6; below the threshold
            .init(end: 9, maxMicros: 400_000, lagMicros: 350_000),                        // the generator's own lag
        ]
        #expect(OmissionDetector.blockedSeconds(ticks, atLeast: 100_000) == 2)
    }
}
