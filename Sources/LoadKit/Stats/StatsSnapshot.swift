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

    /// Before a run has started: no users, no requests (what `/metrics` serves before the first test of
    /// the web UI, and ``LoadRun/snapshot`` before the first tick).
    public static func empty(threads: Int = 1) -> StatsSnapshot {
        let empty = EntryStats(
            method: "", name: "Aggregated", cumulative: EntryAccumulator(), elapsed: 0, current: EntryAccumulator(),
            currentSeconds: 0, window: nil)
        return StatsSnapshot(
            timestamp: Date(), elapsed: 0, phase: .starting, users: 0, usersByClass: [:], entries: [], total: empty,
            failures: [], exceptions: [], arrival: nil,
            health: GeneratorHealth(
                threads: threads, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0, warnings: [],
                saturated: false))
    }

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
