import Logging

/// Engine settings that are not part of the scenario.
public struct RunOptions: Sendable {
    /// Event-loop threads that drive users (`--threads`).
    public var threads: Int
    /// Connect to each origin before any traffic and fail fast when it is unreachable.
    public var preflight: Bool
    /// Seconds the preflight connection may take.
    public var preflightTimeout: Double
    /// Most response-body bytes kept for checks and extraction.
    public var captureLimit: Int
    /// Most history points kept in memory (older ones are merged pairwise).
    public var historyCapacity: Int
    /// Seconds between statistics snapshots.
    public var tickInterval: Double
    /// Called on every snapshot (from the run's control thread).
    public var onTick: (@Sendable (StatsSnapshot) -> Void)?
    /// Called after every interval with what it added (from the run's control thread; also for the final one).
    public var onInterval: (@Sendable (IntervalDelta) -> Void)?
    /// Where run events go (start, ramps, threshold aborts, saturation warnings, stop). Silent by default.
    public var logger: Logger
    /// The run that `baseline` thresholds compare against (`--baseline FILE`); nil when none was given.
    public var baseline: RunRecord?
    /// Closed model: back-fill the samples coordinated omission hid (`--co-correction`) and report the
    /// corrected percentiles beside the raw ones.
    public var coCorrection = false
    /// What drives the connections (`--transport`): by default the generator's own sockets for plain http.
    public var transport = Transport.auto

    /// Creates options.
    public init(
        threads: Int = 1, preflight: Bool = true, preflightTimeout: Double = 5, captureLimit: Int = 1 << 20,
        historyCapacity: Int = 3600, tickInterval: Double = 1, onTick: (@Sendable (StatsSnapshot) -> Void)? = nil,
        logger: Logger = Logger(label: "firedrill.load", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.threads = threads
        self.preflight = preflight
        self.preflightTimeout = preflightTimeout
        self.captureLimit = captureLimit
        self.historyCapacity = historyCapacity
        self.tickInterval = tickInterval
        self.onTick = onTick
        self.logger = logger
    }
}
