/// The baseline's value of a threshold's metric, for `baseline` bounds.
extension RunRecord {
    /// The value `metric` had in this run for `name` (nil = all requests), or nil when the file does not hold it
    /// (the name is missing, or a percentile other than Locust's reported set).
    public func value(of metric: Threshold.Metric, name: String?) -> Double? {
        guard let e = entry(named: name) else { return nil }
        switch metric {
        case .percentile(let p): return e.levelPercentile(p)
        case .avg: return e.avgMs
        case .min: return e.minMs
        case .max: return e.maxMs
        case .median: return e.levelPercentile(50)
        case .failureRate: return e.failureRate
        case .rps: return e.rps
        case .fps: return e.fps
        case .count: return Double(e.requests)
        case .failures: return Double(e.failures)
        }
    }
}
