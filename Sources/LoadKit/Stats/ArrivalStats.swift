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
    /// How late iterations started against their schedule, over the whole run (nil before the first).
    public var lag: ScheduleLag? = nil
}
