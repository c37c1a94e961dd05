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
