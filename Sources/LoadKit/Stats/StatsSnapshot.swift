import Foundation

/// A point-in-time view of a run: users, per-request statistics, failures and generator health.
public struct StatsSnapshot: Sendable, Codable {
    /// Wall-clock time of the snapshot.
    public var timestamp: Date
    /// Seconds since the run started.
    public var elapsed: Double
    /// Where the run is.
    public var phase: RunPhase
    /// Live virtual users.
    public var users: Int
    /// Live virtual users by class name.
    public var usersByClass: [String: Int]
    /// Per request (method, name), sorted by name then method.
    public var entries: [EntryStats]
    /// All requests together (`Aggregated`).
    public var total: EntryStats
    /// Failures grouped by request and cause, most frequent first.
    public var failures: [FailureStats]
    /// Errors in the scenario's own logic (unset variables, exhausted feeders), most frequent first.
    public var exceptions: [ExceptionStats]
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

/// The stage a run is in.
public enum RunPhase: String, Sendable, Codable {
    case starting, spawning, running, stopping, stopped
}

/// One failure group.
public struct FailureStats: Sendable, Codable, Hashable {
    /// HTTP method.
    public var method: String
    /// Request name.
    public var name: String
    /// The cause.
    public var error: String
    /// How many times.
    public var occurrences: Int
    /// Unix time of the first occurrence.
    public var firstSeen: Double
    /// Unix time of the last occurrence.
    public var lastSeen: Double
}

/// One kind of scenario error.
public struct ExceptionStats: Sendable, Codable, Hashable {
    /// The message.
    public var message: String
    /// How many times.
    public var count: Int
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

/// Self-monitoring: is the generator, not the target, the bottleneck?
public struct GeneratorHealth: Sendable, Codable, Hashable {
    /// Event-loop threads.
    public var threads: Int
    /// Process CPU in the last interval, in percent of one core.
    public var cpuPercent: Double
    /// Process CPU seconds since the start.
    public var cpuSeconds: Double
    /// Worst event-loop lag in the last interval, milliseconds.
    public var loopLagMs: Double
    /// Worst event-loop lag over the run, milliseconds.
    public var maxLoopLagMs: Double
    /// Warnings raised so far.
    public var warnings: [String]
    /// True while the generator looks saturated.
    public var saturated: Bool
}
