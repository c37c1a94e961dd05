import Histogram

/// Latencies in microseconds, 3 significant digits, growing past 60 s on demand.
typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    /// An empty latency histogram; all share one bucket layout so they can be added together.
    static func latency() -> Histogram<UInt64> {
        var h = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        h.autoResize = true
        return h
    }
}
