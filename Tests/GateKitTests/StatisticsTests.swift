import Foundation
import Testing
@testable import GateKit
import LoadKit

/// The verdicts on simulated runs with known shifts: no shift is `same`, +20 % is `worse`, a
/// handful of intervals is `inconclusive`.
@Suite struct StatisticsTests {
    /// The verdict of Aggregated p95 for runs of `count` intervals × `requests` requests, the new run's
    /// latencies × `factor`.
    static func p95Verdict(seed: UInt64, factor: Double, count: Int = 120, requests: Int = 400) throws -> Verdict {
        var rng = SyntheticRun.random(seed: seed)
        let base = try SyntheticRun.record(SyntheticRun.intervals(count: count, requests: requests, factor: 1, rng: &rng))
        let new = try SyntheticRun.record(SyntheticRun.intervals(count: count, requests: requests, factor: factor, rng: &rng))
        let report = try RunComparison.compare(base: base, new: new, baseLabel: "base", newLabel: "new", settings: GateSettings())
        return try #require(report.rows.first { $0.name == "Aggregated" && $0.metric == "p95" }).verdict
    }

    @Test func noShiftIsSameInAtLeast95Of100Trials() throws {
        var verdicts: [Verdict: Int] = [:]
        for seed in 1...100 { verdicts[try Self.p95Verdict(seed: UInt64(seed), factor: 1), default: 0] += 1 }
        #expect((verdicts[.same] ?? 0) >= 95, "\(verdicts)")
        #expect(verdicts[.worse] == nil, "\(verdicts)")
    }

    @Test func twentyPercentSlowerIsWorseInAtLeast95Of100Trials() throws {
        var verdicts: [Verdict: Int] = [:]
        for seed in 1...100 { verdicts[try Self.p95Verdict(seed: UInt64(1000 + seed), factor: 1.2), default: 0] += 1 }
        #expect((verdicts[.worse] ?? 0) >= 95, "\(verdicts)")
    }

    @Test("a max lifted by stalls is judged worse and shown, but does not fail the gate")
    func stallsOnMaxAreShownNotGated() throws {
        var rng = SyntheticRun.random(seed: 7)
        let base = SyntheticRun.intervals(count: 60, requests: 400, factor: 1, rng: &rng)
        // The same latencies, but every second holds one 2-second stall: only the maximum moves.
        var stalled = SyntheticRun.intervals(count: 60, requests: 400, factor: 1, rng: &rng)
        for i in stalled.indices { stalled[i].maxMs = 2_000 }
        let report = try RunComparison.compare(base: try SyntheticRun.record(base), new: try SyntheticRun.record(stalled),
                                               baseLabel: "base", newLabel: "new", settings: GateSettings())
        let max = try #require(report.rows.first { $0.name == "Aggregated" && $0.metric == "max" })
        #expect(max.verdict == .worse && !max.gated)
        #expect(report.rows.filter { $0.metric != "max" }.allSatisfy { $0.gated })
        #expect(report.regressions.isEmpty && !report.fails(failOnInconclusive: false))
        #expect(report.notes.contains { $0.hasPrefix("max is judged and shown, not gated") })
        let text = ConsoleComparison.render(report)
        #expect(text.contains("worse (not gated)") && text.hasSuffix("no regression\n"))
        #expect(MarkdownReport.render(report).contains("🔴 worse (not gated)"))
    }

    @Test func twentyPercentFasterIsBetter() throws {
        #expect(try Self.p95Verdict(seed: 7, factor: 1 / 1.2) == .better)
    }

    @Test func tooFewIntervalsAreInconclusive() throws {
        // Below --min-samples (6) …
        #expect(try Self.p95Verdict(seed: 3, factor: 1.2, count: 4) == .inconclusive)
        // … and even when allowed, three intervals a side cannot reach 95 % with a rank test.
        var rng = SyntheticRun.random(seed: 9)
        let x = SyntheticRun.intervals(count: 3, requests: 400, factor: 1, rng: &rng).map { log($0.p95Ms) }
        let y = SyntheticRun.intervals(count: 3, requests: 400, factor: 2, rng: &rng).map { log($0.p95Ms) }
        #expect(RankStatistics.twoSample(base: x, new: y, confidence: 0.95) == nil)
        #expect(Verdict.judge(nil, margin: 0.05, higherIsWorse: true) == .inconclusive)
    }

    @Test func aSignificantButTinyChangeIsSame() {
        let tiny = ShiftEstimate(estimate: 0.01, lower: 0.005, upper: 0.015)
        #expect(Verdict.judge(tiny, margin: log1p(0.05), higherIsWorse: true) == .same)
        let wide = ShiftEstimate(estimate: 0.01, lower: -0.2, upper: 0.3)
        #expect(Verdict.judge(wide, margin: log1p(0.05), higherIsWorse: true) == .inconclusive)
        let faster = ShiftEstimate(estimate: 0.2, lower: 0.1, upper: 0.3)
        #expect(Verdict.judge(faster, margin: log1p(0.05), higherIsWorse: false) == .better)
    }

    @Test func rankIntervalsMatchKnownValues() throws {
        // Hodges–Lehmann of y − x for x = 1…10, y = x + 3 is exactly 3, and the interval holds it.
        let x = (1...10).map(Double.init), y = x.map { $0 + 3 }
        let s = try #require(RankStatistics.twoSample(base: x, new: y, confidence: 0.95))
        #expect(s.estimate == 3 && s.lower <= 3 && s.upper >= 3 && !s.isSignificant)
        let p = try #require(RankStatistics.paired(Array(repeating: 0.5, count: 10) + [0.4, 0.6], confidence: 0.95))
        #expect(abs(p.estimate - 0.5) < 1e-12 && p.isSignificant)
        #expect(abs(NormalQuantile.of(0.975) - 1.959963984540054) < 1e-9)
        #expect(abs(NormalQuantile.of(0.001) + 3.090232306167813) < 1e-9)
    }
}
