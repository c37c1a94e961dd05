/// When each iteration of an open-model run is due: piecewise-linear rate over stages.
public struct ArrivalSchedule: Sendable, Hashable {
    /// One linear segment of the rate.
    struct Segment: Sendable, Hashable {
        var start: Double
        var duration: Double
        var fromRate: Double
        var toRate: Double
        var countBefore: Double
    }

    let segments: [Segment]
    /// Total seconds.
    public let duration: Double

    /// A constant rate (iterations per second) for `duration` seconds.
    public init(rate: Double, duration: Double) {
        self.init(startRate: rate, stages: [LoadProfile.RateStage(duration: duration, target: rate)])
    }

    /// A rate that moves linearly from `startRate` through each stage's target.
    public init(startRate: Double, stages: [LoadProfile.RateStage]) {
        var segments: [Segment] = []
        var t = 0.0
        var count = 0.0
        var rate = startRate
        for s in stages where s.duration > 0 {
            segments.append(Segment(start: t, duration: s.duration, fromRate: rate, toRate: s.target, countBefore: count))
            count += (rate + s.target) / 2 * s.duration
            t += s.duration
            rate = s.target
        }
        self.segments = segments
        self.duration = t
    }

    /// The rate (per second) at `t` seconds.
    public func rate(at t: Double) -> Double {
        for s in segments where t < s.start + s.duration {
            return s.fromRate + (s.toRate - s.fromRate) * max(0, t - s.start) / s.duration
        }
        return 0
    }

    /// Iterations due in `[0, t]` (the schedule's offered count).
    public func count(at t: Double) -> Int {
        guard t >= 0 else { return 0 }
        for s in segments where t < s.start + s.duration {
            let tau = t - s.start
            let n = s.countBefore + s.fromRate * tau + (s.toRate - s.fromRate) / (2 * s.duration) * tau * tau
            return min(Int(n.rounded(.down)) + 1, totalCount)
        }
        return totalCount
    }

    /// Iterations in the whole schedule.
    public var totalCount: Int {
        guard let s = segments.last else { return 0 }
        return Int((s.countBefore + (s.fromRate + s.toRate) / 2 * s.duration).rounded(.up))
    }

    /// Seconds from the start at which iteration `k` (0-based) is due, or nil when it is past the end.
    public func time(ofIteration k: Int) -> Double? {
        let target = Double(k)
        for s in segments {
            let inSegment = (s.fromRate + s.toRate) / 2 * s.duration
            guard target < s.countBefore + inSegment else { continue }
            let c = target - s.countBefore
            let a = (s.toRate - s.fromRate) / (2 * s.duration)
            let b = s.fromRate
            let tau: Double
            if abs(a) < 1e-12 {
                guard b > 0 else { continue }
                tau = c / b
            } else {
                let disc = b * b + 4 * a * c
                guard disc >= 0 else { continue }
                let root = disc.squareRoot()
                tau = b + root > 0 ? 2 * c / (b + root) : (-b + root) / (2 * a)
            }
            if tau >= 0 && tau < s.duration { return s.start + tau }
        }
        return nil
    }
}
