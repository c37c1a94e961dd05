import Foundation
import Testing
@testable import LoadKit

/// `baseline` bounds: parsed, evaluated against a `--json` summary read back, and failing (never
/// passing) without a baseline.
@Suite struct BaselineThresholdTests {
    /// A snapshot of `requests` GETs of `name`, latencies 1…requests ms, `failed` of them failed, over 10 s.
    static func snapshot(name: String = "fast", scale: Double = 1, requests: Int = 100, failed: Int = 0)
        -> (StatsAggregator, StatsSnapshot) {
        var acc = EntryAccumulator()
        for i in 1...requests { acc.record(micros: UInt64(Double(i * 1000) * scale), bytes: 10, failed: i <= failed) }
        let aggregator = StatsAggregator(keys: [StatKey(method: "GET", name: name)], historyCapacity: 10)
        aggregator.absorb([IntervalSample(entries: [acc], failures: [:], exceptions: [:], maxLagNanos: 0,
                                          iterationsStarted: 0, iterationsDropped: 0)], seconds: 10)
        let snap = aggregator.snapshot(timestamp: Date(), elapsed: 10, phase: .running, users: 1, usersByClass: [:],
                                       arrival: nil, health: HealthMonitor().sampleForTest())
        aggregator.recordHistory(snap)
        return (aggregator, snap)
    }

    /// The summary JSON of a run with `snapshot`'s statistics, read back as a baseline.
    static func baseline(scale: Double = 1, failed: Int = 0) throws -> RunRecord {
        let (aggregator, snap) = snapshot(scale: scale, failed: failed)
        let summary = RunSummary(
            startTime: Date(), endTime: Date(), duration: 10, stats: snap, history: aggregator.history.all, thresholds: [],
            endReason: "completed", abandonedRequests: 0, ramps: [], intervals: aggregator.intervals.all)
        let plan = try LoadPlan.single(url: "http://127.0.0.1:1/fast", load: .closed(users: 1, spawnRate: 1, runTime: 10))
        return try RunRecord.decode(try JSONReport(plan: plan, summary: summary).encoded(), path: "base.json")
    }

    @Test func parsesBaselineBounds() throws {
        let p95 = try Threshold("p(95) < baseline * 1.10")
        #expect(p95.baseline == BaselineBound(factor: 1.10, offset: 0))
        #expect(try Threshold("rps > baseline * 0.95").baseline?.factor == 0.95)
        #expect(try Threshold("rate(failed) < baseline + 0.005").baseline == BaselineBound(factor: 1, offset: 0.005))
        #expect(try Threshold("rate(failed) < baseline + 0.5%").baseline?.offset == 0.005)
        #expect(try Threshold("p(95) < baseline * 1.1 + 2ms").baseline == BaselineBound(factor: 1.1, offset: 2))
        #expect(try Threshold("avg < baseline - 1s").baseline?.offset == -1000)
        #expect(try Threshold("p(99) < 500ms").baseline == nil)
        for bad in ["p(95) < baseline * fast", "p(95) < baseline / 2", "p(95) < baseline * 1.1 + 5 parsecs", "rps > baseline + 5ms"] {
            #expect(throws: ThresholdError.self, "\(bad)") { try Threshold(bad) }
        }
    }

    @Test func passesAndFailsAgainstTheBaseline() throws {
        let base = try Self.baseline()  // p95 = 95 ms, rps = 10, no failures
        let (_, same) = Self.snapshot()
        let (_, slower) = Self.snapshot(scale: 1.2)
        let (_, failing) = Self.snapshot(failed: 1)
        func check(_ expr: String, _ snap: StatsSnapshot, name: String? = nil) throws -> ThresholdResult {
            ThresholdResult(evaluating: try Threshold(expr, name: name), in: snap, baseline: base)
        }
        let ok = try check("p(95) < baseline * 1.10", same)
        #expect(ok.passed && ok.message.contains("(baseline 95."), "\(ok.message)")
        #expect(try !check("p(95) < baseline * 1.10", slower).passed)
        #expect(try check("p(95) < baseline * 1.10", slower, name: "fast").message.contains("vs bound 104.5"))
        #expect(try check("rps > baseline * 0.95", same).passed)
        #expect(try check("rate(failed) < baseline + 0.005", same).passed)
        #expect(try !check("rate(failed) < baseline + 0.005", failing).passed)
        #expect(try check("rate(failed) < baseline + 0.02", failing).passed)
        let odd = try check("p(97) < baseline * 1.1", same)
        #expect(!odd.passed && odd.message.contains("the baseline has no p(97)"))
    }

    @Test func aBaselineThresholdWithoutABaselineFails() throws {
        let (_, snap) = Self.snapshot()
        let result = ThresholdResult(evaluating: try Threshold("p(95) < baseline * 1.10"), in: snap, baseline: nil)
        #expect(!result.passed)
        #expect(result.message.contains("needs a baseline: give --baseline FILE"))
    }

    @Test func theSummaryKeepsPerIntervalStatistics() throws {
        let base = try Self.baseline()
        let intervals = try #require(base.intervals(named: "fast"))
        #expect(intervals.count == 1 && intervals[0].requests == 100 && intervals[0].span == 10)
        #expect(abs(intervals[0].p95Ms - 95) < 0.1 && intervals[0].maxMs == 100)
        #expect(base.intervals(named: nil)?.first?.requests == 100)
        #expect(base.names == ["fast"])
    }

    @Test func theHTMLReportOverlaysTheBaseline() throws {
        let (aggregator, snap) = Self.snapshot(scale: 1.2)
        let summary = RunSummary(
            startTime: Date(), endTime: Date(), duration: 10, stats: snap, history: aggregator.history.all, thresholds: [],
            endReason: "completed", abandonedRequests: 0, ramps: [], intervals: aggregator.intervals.all)
        let plan = try LoadPlan.single(url: "http://127.0.0.1:1/fast", load: .closed(users: 1, spawnRate: 1, runTime: 10))
        let with = HTMLReport.html(plan: plan, summary: summary, baseline: try Self.baseline())
        for label in ["baseline requests/s", "baseline p50", "baseline p95", "Baseline (lighter lines)"] {
            #expect(with.contains(label), "\(label)")
        }
        #expect(!HTMLReport.html(plan: plan, summary: summary).contains("baseline p95"))
    }

    @Test func unreadableSummariesNameTheFile() throws {
        #expect(throws: RunRecordError.self) { try RunRecord.decode(Data("{\"tool\": \"firedrill".utf8), path: "cut.json") }
        do {
            _ = try RunRecord.decode(Data("Type,Name,Request Count\n".utf8), path: "run_stats.csv")
        } catch {
            #expect(error.description.hasPrefix("run_stats.csv is a Locust CSV"))
        }
    }
}
