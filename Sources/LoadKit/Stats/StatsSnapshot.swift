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
