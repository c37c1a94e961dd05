/// Open model: how late requests started against their schedule (the generator's own delay, not the
/// server's: it is measured before the request is written).
public struct ScheduleLag: Sendable, Codable, Hashable {
    /// Requests that started on a schedule.
    public var count: Int
    /// Median lag in milliseconds.
    public var p50Ms: Double
    /// 90th percentile lag in milliseconds.
    public var p90Ms: Double
    /// 99th percentile lag in milliseconds.
    public var p99Ms: Double
    /// Largest lag in milliseconds.
    public var maxMs: Double
}

extension ScheduleLag {
    /// Summarises a histogram of lags in microseconds (nil when it is empty).
    init?(_ histogram: LatencyHistogram?) {
        guard let h = histogram, h.totalCount > 0 else { return nil }
        count = Int(h.totalCount)
        p50Ms = Double(h.valueAtPercentile(50)) / 1000
        p90Ms = Double(h.valueAtPercentile(90)) / 1000
        p99Ms = Double(h.valueAtPercentile(99)) / 1000
        maxMs = Double(h.max) / 1000
    }
}
