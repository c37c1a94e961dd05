/// A replay's arrivals: one recorded request per iteration, each at its recorded offset.
///
/// Iteration `k` runs task `tasks[k % n]` at `offsets[k % n] + (k / n) × period` seconds
/// (`loop`: the log starts again every `period` seconds), until `limit` when one is set.
public struct ReplayTimeline: Sendable, Hashable {
    /// Seconds from the start of the replay, ascending.
    public let offsets: [Double]
    /// Per offset: the index of the task (of the plan's only user class) to run.
    public let tasks: [Int]
    /// Start again from the first request when the last one was sent.
    public let loop: Bool
    /// Seconds between two passes when looping.
    public let period: Double
    /// No iteration at or after this many seconds (nil: the log's end, or never when looping).
    public let limit: Double?

    /// Creates a timeline; `offsets` must be ascending and as long as `tasks`.
    public init(offsets: [Double], tasks: [Int], loop: Bool = false, period: Double? = nil, limit: Double? = nil) {
        precondition(offsets.count == tasks.count, "one task per offset")
        self.offsets = offsets
        self.tasks = tasks
        self.loop = loop
        let span = (offsets.last ?? 0) - (offsets.first ?? 0)
        // A pass lasts the log's span plus one mean gap, so the first request of the next pass does not
        // land on top of the last one of this pass.
        let gap = offsets.count > 1 ? span / Double(offsets.count - 1) : 1
        self.period = max(period ?? (span + gap), 0.001)
        self.limit = limit
    }

    /// Requests in one pass.
    public var count: Int { offsets.count }
}

extension ReplayTimeline: ArrivalTimeline {
    var duration: Double {
        let end = loop ? Double.infinity : (offsets.last ?? 0)
        return limit.map { min($0, end) } ?? end
    }

    var endsWhenDispatched: Bool { true }

    func time(ofIteration k: Int) -> Double? {
        guard !offsets.isEmpty, k >= 0 else { return nil }
        let pass = k / offsets.count
        if pass > 0 && !loop { return nil }
        let t = offsets[k % offsets.count] + Double(pass) * period
        if let limit, t >= limit { return nil }
        return t
    }

    func task(ofIteration k: Int) -> Int? {
        tasks.isEmpty ? nil : tasks[k % tasks.count]
    }

    func count(at t: Double) -> Int {
        guard !offsets.isEmpty, t >= 0 else { return 0 }
        let bounded = limit.map { min(t, $0.nextDown) } ?? t
        let pass = loop ? Int(bounded / period) : 0
        let within = bounded - Double(pass) * period
        // Offsets at or before `within`: binary search.
        var lo = 0
        var hi = offsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if offsets[mid] <= within { lo = mid + 1 } else { hi = mid }
        }
        return pass * offsets.count + lo
    }

    func rate(at t: Double) -> Double {
        guard t >= 0 else { return 0 }
        return Double(count(at: t) - count(at: t - 1))
    }
}
