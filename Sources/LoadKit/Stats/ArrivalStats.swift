/// Open-model counters (nil in the closed model).
    public var arrival: ArrivalStats?
    /// How the generator itself is doing.
    public var health: GeneratorHealth

    /// All entries with this name, across methods, combined (nil when there are none).
    public func combined(named name: String) -> EntryStats? {
        let matching = entries.filter { $0.name == name }
        guard let first = matching.first else { return nil }
        if matching.count == 1 { return first }
        var acc = EntryAccumulator()
        for m in matching {
            var e = EntryAccumulator()
            e.count = m.requests
            e.failures = m.failures
            e.sumMicros = UInt64(m.avgMs * 1000 * Double(m.requests))
            e.minMicros = UInt64(m.minMs * 1000)
            e.maxMicros = UInt64(m.maxMs * 1000)
            e.sumBytes = m.totalContentBytes
            e.histogram = m.histogram
            acc.add(e)
        }
        return EntryStats(
            method: "", name: name, cumulative: acc, elapsed: elapsed, current: EntryAccumulator(),
            currentSeconds: 0, window: nil)
    }
}

/// Open-model counters: iterations offered by the schedule, started and dropped.
public struct ArrivalStats: Sendable, Codable, Hashable {
    /// Iterations the schedule asked for so far.
    public var scheduled: Int
    /// Iterations that got a user and started.
    public var started: Int
    /// Iterations dropped because all `max_users` were busy.
    public var dropped: Int
    /// Scheduled iterations per second.
    public var offeredRate: Double
    /// Started iterations per second.
    public var achievedRate: Double
    /// The schedule's rate right now.
    public var currentTargetRate: Double
}
