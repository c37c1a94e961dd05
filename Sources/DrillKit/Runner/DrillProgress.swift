/// What a drill is doing right now, for a live console (sent about every second).
public struct DrillProgress: Sendable {
    /// Seconds since the drill started.
    public var elapsed: Double
    /// The step running, or the phase (`steady state (before)`, `rollbacks`).
    public var phase: String
    /// Live virtual users of the drill's load.
    public var users: Int
    /// Requests per second the service answered over the last interval.
    public var requestsPerSecond: Double?
    /// Fraction of them answered 5xx.
    public var errorRatio: Double?
    /// Memory in use as a fraction of the service's budget.
    public var memoryRatio: Double?
    /// Alerts Prometheus holds as firing; nil without Prometheus.
    public var firing: [String]?
}
