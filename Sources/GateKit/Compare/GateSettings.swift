import LoadKit

/// How strict a comparison is: `--confidence`, `--min-effect`, `--min-failure-delta`, `--warmup`.
public struct GateSettings: Sendable, Hashable {
    /// Confidence for the whole comparison (family-wise: split over the metrics tested, Bonferroni).
    public var confidence: Double
    /// Smallest relative change that counts (latency, throughput), e.g. 0.05 for 5 %.
    public var minEffect: Double
    /// Smallest change of the failure rate that counts, absolute (0.005 = half a percentage point).
    public var minFailureDelta: Double
    /// Seconds at the start of each run left out of the tests (ramp-up, cold caches).
    public var warmup: Double
    /// Fewest usable intervals (or pairs) per side before anything is concluded.
    public var minSamples: Int

    /// Creates settings; the defaults are the command line's.
    public init(confidence: Double = 0.95, minEffect: Double = 0.05, minFailureDelta: Double = 0.005,
                warmup: Double = 0, minSamples: Int = 6) {
        self.confidence = confidence
        self.minEffect = minEffect
        self.minFailureDelta = minFailureDelta
        self.warmup = warmup
        self.minSamples = minSamples
    }

    /// The per-metric confidence when `tests` metrics are judged together.
    func perTestConfidence(_ tests: Int) -> Double {
        1 - (1 - confidence) / Double(max(tests, 1))
    }

    /// Intervals worth testing: after the warm-up, and at least half a tick long (the last, partial
    /// tick of a run is dropped).
    func usable(_ intervals: [IntervalStats]) -> [IntervalStats] {
        intervals.filter { $0.elapsed - $0.span >= warmup - 1e-9 && $0.span >= 0.5 }
    }
}
