/// An open-model timeline whose rate was changed while it ran (``LoadRun/setArrivalRate(_:)``): the
/// iterations due up to the change keep their times; from the change on, iterations come at a constant
/// `rate` until the original timeline's end (for a ramping shape, the rest of its stages is replaced).
///
/// Iteration `k` below `firstIteration` (the base's count at the change) is the base's; iteration
/// `firstIteration + j` is due at `changeAt + j / rate`. Counts and times stay consistent, so offered,
/// started and dropped still add up across the change.
struct RetargetedTimeline: ArrivalTimeline {
    let base: any ArrivalTimeline
    /// Seconds from the start of the run when the new rate began.
    let changeAt: Double
    /// Iterations the base had due by `changeAt`.
    let firstIteration: Int
    /// Iterations per second from `changeAt` on.
    let newRate: Double

    init(base: any ArrivalTimeline, at changeAt: Double, rate: Double) {
        self.base = base
        self.changeAt = max(0, changeAt)
        self.firstIteration = base.count(at: self.changeAt)
        self.newRate = rate
    }

    var duration: Double { base.duration }
    var endsWhenDispatched: Bool { base.endsWhenDispatched }

    /// Iterations after the change, up to the end.
    private var countAfter: Int {
        let span = duration - changeAt
        guard span > 0, newRate > 0 else { return 0 }
        return span.isFinite ? Int((span * newRate).rounded(.up)) : Int.max
    }

    func time(ofIteration k: Int) -> Double? {
        if k < firstIteration { return base.time(ofIteration: k) }
        let j = k - firstIteration
        guard j < countAfter else { return nil }
        return changeAt + Double(j) / newRate
    }

    func task(ofIteration k: Int) -> Int? {
        k < firstIteration ? base.task(ofIteration: k) : nil
    }

    func count(at t: Double) -> Int {
        if t < changeAt { return base.count(at: t) }
        let after = Double(countAfter)
        // 1e-9: `changeAt + j / rate` read back may land a hair below j.
        let due = min(((t - changeAt) * newRate + 1e-9).rounded(.down) + 1, after)
        return firstIteration + Int(due)
    }

    func rate(at t: Double) -> Double {
        if t < changeAt { return base.rate(at: t) }
        return t < duration ? newRate : 0
    }
}
