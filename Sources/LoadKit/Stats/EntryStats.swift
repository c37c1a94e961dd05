/// Cumulative statistics of one request name (or of all requests), as reported.
public struct EntryStats: Sendable, Codable {
    /// The percentiles reported everywhere (Locust's set).
    public static let levels: [Double] = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100]

    /// HTTP method (empty for the aggregate).
    public var method: String
    /// Request name (`Aggregated` for the aggregate).
    public var name: String
    /// Requests completed.
    public var requests: Int
    /// Requests that failed.
    public var failures: Int
    /// Mean latency in milliseconds.
    public var avgMs: Double
    /// Minimum latency in milliseconds.
    public var minMs: Double
    /// Maximum latency in milliseconds.
    public var maxMs: Double
    /// Median latency in milliseconds.
    public var medianMs: Double
    /// Mean response body size in bytes.
    public var avgContentSize: Double
    /// Total response body bytes.
    public var totalContentBytes: Int
    /// Requests per second over the whole run.
    public var rps: Double
    /// Failures per second over the whole run.
    public var fps: Double
    /// Requests per second in the last second.
    public var currentRps: Double
    /// Failures per second in the last second.
    public var currentFps: Double
    /// Latency at ``levels`` over the whole run, in milliseconds.
    public var percentiles: [Double]
    /// Latency at ``levels`` over the last 10 seconds, in milliseconds.
    public var currentPercentiles: [Double]

    var histogram: LatencyHistogram?

    /// Written snake_case by the JSON summary's encoder (`avg_ms`) and read back by ``RunRecord``'s decoder.
    enum CodingKeys: String, CodingKey {
        case method, name, requests, failures, avgMs, minMs, maxMs, medianMs, avgContentSize, totalContentBytes
        case rps, fps, currentRps, currentFps, percentiles, currentPercentiles
    }

    /// Failed / all requests (0 when none).
    public var failureRate: Double { requests > 0 ? Double(failures) / Double(requests) : 0 }

    /// Latency at any percentile (0–100) in milliseconds, from the full histogram.
    public func percentile(_ p: Double) -> Double {
        guard let histogram, histogram.totalCount > 0 else { return 0 }
        return Double(histogram.values(atPercentiles: [p])[0]) / 1000
    }

    /// The whole-run latency distribution as (upper bound ms, count) buckets on a log scale.
    public func latencyBuckets() -> [(upperMs: Double, count: UInt64)] {
        guard let histogram, histogram.totalCount > 0 else { return [] }
        var out: [(Double, UInt64)] = []
        for v in histogram.logarithmicBucketValues(valueUnitsInFirstBucket: 10, logBase: 1.25)
            where v.countAddedInThisIterationStep > 0 || !out.isEmpty {
            out.append((Double(v.value) / 1000, v.countAddedInThisIterationStep))
        }
        while let last = out.last, last.1 == 0 { out.removeLast() }
        return out
    }

    init(method: String, name: String, cumulative: EntryAccumulator, elapsed: Double,
         current: EntryAccumulator, currentSeconds: Double, window: LatencyHistogram?) {
        self.method = method
        self.name = name
        requests = cumulative.count
        failures = cumulative.failures
        avgMs = cumulative.count > 0 ? Double(cumulative.sumMicros) / Double(cumulative.count) / 1000 : 0
        minMs = cumulative.count > 0 ? Double(cumulative.minMicros) / 1000 : 0
        maxMs = Double(cumulative.maxMicros) / 1000
        avgContentSize = cumulative.count > 0 ? Double(cumulative.sumBytes) / Double(cumulative.count) : 0
        totalContentBytes = cumulative.sumBytes
        rps = elapsed > 0 ? Double(cumulative.count) / elapsed : 0
        fps = elapsed > 0 ? Double(cumulative.failures) / elapsed : 0
        currentRps = currentSeconds > 0 ? Double(current.count) / currentSeconds : 0
        currentFps = currentSeconds > 0 ? Double(current.failures) / currentSeconds : 0
        histogram = cumulative.histogram
        if let h = cumulative.histogram, h.totalCount > 0 {
            percentiles = h.values(atPercentiles: Self.levels).map { Double($0) / 1000 }
            // The histogram's max is bucket-rounded; report the exact one.
            percentiles[percentiles.count - 1] = maxMs
            medianMs = percentiles[0]
        } else {
            percentiles = Self.levels.map { _ in 0 }
            medianMs = 0
        }
        if let w = window, w.totalCount > 0 {
            currentPercentiles = w.values(atPercentiles: Self.levels).map { Double($0) / 1000 }
        } else {
            currentPercentiles = Self.levels.map { _ in 0 }
        }
    }
}
