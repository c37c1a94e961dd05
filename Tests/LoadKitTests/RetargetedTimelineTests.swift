import Testing
@testable import LoadKit

/// The open model's rate changed mid-run (`LoadRun.setArrivalRate`): iterations due before the change keep
/// their times, the rest come at the new rate until the original end, and counts agree with times.
@Suite struct RetargetedTimelineTests {
    @Test("a constant rate changed at 4 s: the first 4 s as before, then the new rate to the end")
    func constantThenNewRate() throws {
        let base = ArrivalSchedule(rate: 10, duration: 10)
        let t = RetargetedTimeline(base: base, at: 4, rate: 40)
        #expect(t.firstIteration == base.count(at: 4))
        #expect(t.count(at: 3.95) == base.count(at: 3.95))
        #expect(t.rate(at: 2) == 10 && t.rate(at: 5) == 40 && t.rate(at: 10) == 0)
        // 41 iterations due by 4 s (0 … 4.0 at 10/s), then 6 s at 40/s = 240 more.
        #expect(t.count(at: 10) == 41 + 240)
        #expect(t.count(at: 5) - t.count(at: 4.5) == 20)
        #expect(t.time(ofIteration: 41) == 4)
        #expect(t.time(ofIteration: 41 + 240) == nil)
        try expectConsistent(t, through: 41 + 240)
    }

    @Test("a ramping shape has the rest of its stages replaced by the constant rate; changes can stack")
    func rampingThenConstantTwice() throws {
        // 0 → 20/s over 10 s, then 20 → 0 over 10 s.
        let base = ArrivalSchedule(startRate: 0, stages: [.init(duration: 10, target: 20), .init(duration: 10, target: 0)])
        let first = RetargetedTimeline(base: base, at: 5, rate: 8)
        #expect(first.duration == 20)
        #expect(first.rate(at: 15) == 8)
        #expect(first.count(at: 4) == base.count(at: 4))
        let second = RetargetedTimeline(base: first, at: 12, rate: 2)
        #expect(second.count(at: 11) == first.count(at: 11))
        #expect(second.rate(at: 13) == 2)
        // 26 due by 5 s (N = t²), 7 s at 8/s = 56 from 5 s to 12 s (57 by 12 s), 8 s at 2/s = 16 after.
        #expect(second.count(at: 20) == second.firstIteration + 16)
        #expect(second.firstIteration == 26 + 57)
        try expectConsistent(second, through: second.count(at: 20))
    }

    /// Times never go back, and from the change on `count(at: time(k))` counts iteration k (before it,
    /// the base schedule's own rounding may read one short on a ramp).
    func expectConsistent(_ t: RetargetedTimeline, through n: Int) throws {
        var last = -1.0
        for k in 0..<n {
            let at = try #require(t.time(ofIteration: k), "iteration \(k)")
            #expect(at >= last, "iteration \(k) at \(at) before \(last)")
            #expect(t.count(at: at) >= (k < t.firstIteration ? k : k + 1), "count at iteration \(k)'s time")
            last = at
        }
        #expect(t.time(ofIteration: n) == nil)
    }
}
