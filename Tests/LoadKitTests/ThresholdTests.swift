import Foundation
import Testing
@testable import LoadKit

@Suite struct ThresholdTests {
    @Test func parsesExpressions() throws {
        let p95 = try Threshold("p(95) < 500ms")
        #expect(p95.metric == .percentile(95) && p95.comparison == .less && p95.bound == 500)
        #expect(try Threshold("p99<=2s").bound == 2000)
        #expect(try Threshold("p(99.9) < 1500").bound == 1500)
        #expect(try Threshold("avg < 200ms").metric == .avg)
        #expect(try Threshold("max < 2s").bound == 2000)
        #expect(try Threshold("med<100us").bound == 0.1)
        // Units are DurationText's grammar; a bare number stays milliseconds.
        #expect(try Threshold("p(95) < 1m30s").bound == 90_000)
        #expect(try Threshold("p(95) < 1.5s").bound == 1500)
        #expect(try Threshold("p(95) < 500 ms").bound == 500)
        #expect(try Threshold("p(95) < baseline * 1.1 + 1s").baseline?.offset == 1000)
        let rate = try Threshold("rate(failed) < 0.01")
        #expect(rate.metric == .failureRate && rate.bound == 0.01)
        #expect(try Threshold("rate(failed) < 1%").bound == 0.01)
        let rps = try Threshold("rps > 100")
        #expect(rps.metric == .rps && rps.comparison == .greater)
        #expect(try Threshold("count >= 10").comparison == .greaterOrEqual)
        #expect(try Threshold("failures == 0").comparison == .equal)
        let scoped = try Threshold.parseFlag("POST /predict: p(95) < 500ms")
        #expect(scoped.name == "POST /predict" && scoped.bound == 500)
        #expect(try Threshold.parseFlag("p(95)<5ms").name == nil)
        for bad in ["p(95) 500ms", "p(101) < 5", "latency < 5ms", "p(95) < fast", "rps > 5ms", "avg < 5 parsecs", "rate < 5s"] {
            #expect(throws: ThresholdError.self, "\(bad)") { try Threshold(bad) }
        }
    }

    @Test func evaluatesAgainstASnapshot() throws {
        var fast = EntryAccumulator()
        var slow = EntryAccumulator()
        for i in 1...100 { fast.record(micros: UInt64(i * 1000), bytes: 10, failed: i == 100) }
        for _ in 1...10 { slow.record(micros: 900_000, bytes: 10, failed: false) }
        let aggregator = StatsAggregator(keys: [StatKey(method: "GET", name: "fast"), StatKey(method: "POST", name: "slow")],
                                         historyCapacity: 10)
        aggregator.absorb([IntervalSample(entries: [fast, slow], failures: [:], exceptions: [:], maxLagNanos: 0,
                                          iterationsStarted: 0, iterationsDropped: 0)], seconds: 10)
        let snap = aggregator.snapshot(timestamp: Date(), elapsed: 10, phase: .running, users: 1, usersByClass: [:],
                                       arrival: nil, health: HealthMonitor().sampleForTest())
        func check(_ expr: String, name: String? = nil) throws -> ThresholdResult {
            ThresholdResult(evaluating: try Threshold(expr, name: name), in: snap)
        }
        #expect(try check("p(95) < 96ms", name: "fast").passed)
        #expect(try !check("p(95) < 94ms", name: "fast").passed)
        #expect(abs((try check("p(50) < 51ms", name: "fast").actual ?? 0) - 50) < 0.1)  // 3 significant digits
        #expect(try check("max < 1s").passed)
        #expect(try !check("max < 800ms").passed)
        #expect(try check("rate(failed) <= 0.01", name: "fast").passed)
        #expect(try !check("rate(failed) < 0.01", name: "fast").passed)
        #expect(try check("rps > 10").actual == 11)
        #expect(try check("count == 110").passed)
        #expect(try check("failures == 1").passed)
        let missing = try check("p(95) < 1s", name: "nope")
        #expect(!missing.passed && missing.message.contains("no requests named"))
        #expect(try check("avg < 1s", name: "slow").actual == 900)
    }
}

extension HealthMonitor {
    func sampleForTest() -> GeneratorHealth {
        GeneratorHealth(threads: 1, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0, warnings: [],
                        saturated: false)
    }
}
