/// A location shift between two samples with its confidence interval, in the samples' units
/// (log units for latency and throughput, so `exp(estimate) - 1` is a relative change).
public struct ShiftEstimate: Sendable, Hashable {
    /// The Hodges–Lehmann estimate: the median of all pairwise differences (new − base), or of the
    /// Walsh averages of paired differences.
    public var estimate: Double
    /// Lower confidence limit.
    public var lower: Double
    /// Upper confidence limit.
    public var upper: Double

    /// Whether the interval excludes zero: the rank test rejects "no shift" at the interval's level.
    public var isSignificant: Bool { lower > 0 || upper < 0 }
}
