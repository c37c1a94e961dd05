/// One request name's statistics over one interval (about a second) of a run. These are the samples
/// `firedrill compare` and `firedrill ab` test: per-interval values are far less correlated than
/// single requests, so they can be compared as independent observations.
public struct IntervalStats: Sendable, Codable, Hashable {
    /// Seconds since the run started, at the end of the interval.
    public var elapsed: Double
    /// Seconds the interval covers (grows when a long run's intervals are merged).
    public var span: Double
    /// Requests completed in the interval.
    public var requests: Int
    /// Of which failed.
    public var failures: Int
    /// Mean latency, milliseconds (0 without requests).
    public var meanMs: Double
    /// Median latency, milliseconds.
    public var p50Ms: Double
    /// 90th percentile, milliseconds.
    public var p90Ms: Double
    /// 95th percentile, milliseconds.
    public var p95Ms: Double
    /// 99th percentile, milliseconds.
    public var p99Ms: Double
    /// Slowest request, milliseconds.
    public var maxMs: Double
    /// Open model iterations started in the interval (`Aggregated` only; 0 in the closed model).
    public var iterations: Int

    /// Requests per second in the interval.
    public var rps: Double { span > 0 ? Double(requests) / span : 0 }
    /// Failed / all requests in the interval (0 without requests).
    public var failureRate: Double { requests > 0 ? Double(failures) / Double(requests) : 0 }

    /// Creates an interval record.
    public init(elapsed: Double, span: Double, requests: Int, failures: Int, meanMs: Double, p50Ms: Double,
                p90Ms: Double, p95Ms: Double, p99Ms: Double, maxMs: Double, iterations: Int = 0) {
        self.elapsed = elapsed
        self.span = span
        self.requests = requests
        self.failures = failures
        self.meanMs = meanMs
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
        self.iterations = iterations
    }

    /// Two consecutive intervals as one. Counts, the mean and the max are exact; the percentiles are
    /// request-weighted means of the two (the histograms are gone by then), an approximation used
    /// only once a run outgrows the log's capacity.
    func merged(with next: IntervalStats) -> IntervalStats {
        let n = requests + next.requests
        func weighted(_ a: Double, _ b: Double) -> Double {
            n > 0 ? (a * Double(requests) + b * Double(next.requests)) / Double(n) : 0
        }
        return IntervalStats(
            elapsed: next.elapsed, span: span + next.span, requests: n, failures: failures + next.failures,
            meanMs: weighted(meanMs, next.meanMs), p50Ms: weighted(p50Ms, next.p50Ms),
            p90Ms: weighted(p90Ms, next.p90Ms), p95Ms: weighted(p95Ms, next.p95Ms),
            p99Ms: weighted(p99Ms, next.p99Ms), maxMs: max(maxMs, next.maxMs),
            iterations: iterations + next.iterations)
    }
}

/// The intervals of one request name (`Aggregated` for all requests), in time order.
public struct IntervalSeries: Sendable, Codable, Hashable {
    /// The request name, as in the statistics.
    public var name: String
    /// One record per interval.
    public var intervals: [IntervalStats]

    /// Creates a series.
    public init(name: String, intervals: [IntervalStats]) {
        self.name = name
        self.intervals = intervals
    }
}
