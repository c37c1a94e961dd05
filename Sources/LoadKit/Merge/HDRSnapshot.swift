/// A request name's latency histogram in a JSON summary (`hdr`): every recorded HdrHistogram bucket as
/// [microseconds, count], so that summaries of several processes add up exactly (``RunMerge``).
public struct HDRSnapshot: Codable, Sendable {
    /// HTTP method (empty for the aggregate).
    public var method: String
    /// Request name (`Aggregated` for the aggregate).
    public var name: String
    /// [value in µs (the bucket's lowest equivalent value), count] pairs.
    public var counts: [[UInt64]]

    init(_ e: EntryStats) {
        method = e.method
        name = e.name
        var out: [[UInt64]] = []
        if let h = e.histogram {
            for v in h.recordedValues() where v.count > 0 {
                out.append([h.lowestEquivalentForValue(v.value), v.count])
            }
        }
        counts = out
    }

    /// The histogram these counts describe.
    func histogram() -> LatencyHistogram {
        var h = LatencyHistogram.latency()
        for pair in counts where pair.count == 2 { _ = h.record(pair[0], count: pair[1]) }
        return h
    }

    /// The histograms of a snapshot's entries and total.
    static func all(_ s: StatsSnapshot) -> [HDRSnapshot] {
        (s.entries + [s.total]).map(HDRSnapshot.init)
    }
}
