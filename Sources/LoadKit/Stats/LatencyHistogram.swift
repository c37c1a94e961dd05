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

extension Histogram where Count == UInt64 {
    /// `valueAtPercentile` at each of `levels`, in one pass over the recorded values with code specialised
    /// for `UInt64` counts (the library's own is generic: one bucket at a time through witness tables,
    /// once per level, on every statistics tick). Same results.
    func values(atPercentiles levels: [Double]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: levels.count)
        let total = totalCount
        guard total > 0 else { return out }
        let lowest = self.min
        let highest = maxRecorded
        var targets: [(slot: Int, count: UInt64)] = []
        for (slot, p) in levels.enumerated() {
            if p == 0 {
                out[slot] = lowest
            } else if p >= 100 {
                out[slot] = highest
            } else {
                // As valueAtPercentile: one ulp below, clamped, then the count rounded up (at least 1).
                let requested = Swift.min(Swift.max(p.nextDown, 0), 100)
                targets.append((slot, Swift.max(1, UInt64((requested * Double(total) / 100).rounded(.up)))))
            }
        }
        targets.sort { $0.count < $1.count }
        var next = 0
        for v in recordedValues() {
            while next < targets.count && v.totalCountToThisValue >= targets[next].count {
                out[targets[next].slot] = Swift.max(Swift.min(v.value, highest), lowest)
                next += 1
            }
            if next == targets.count { break }
        }
        return out
    }
}
