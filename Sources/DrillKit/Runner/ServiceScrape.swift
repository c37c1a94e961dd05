import FiredrillSupport
import Foundation

/// The numbers of one `/metrics` scrape of csv-analyzer that a drill charts.
struct ServiceScrape: Sendable, Equatable {
    /// When it was taken.
    var at: Date
    /// `http_requests_total`, all routes but `/metrics`.
    var requests: Double
    /// The 5xx part of it.
    var errors: Double
    /// Cumulative `http_request_duration_seconds_bucket` counts by upper bound (`le`), all routes but `/metrics`.
    var buckets: [Double: Double]
    /// `csv_analyzer_resident_memory_bytes`.
    var memoryBytes: Double?
    /// `process_memory_limit_bytes` (nil when 0: no limit).
    var memoryLimitBytes: Double?

    /// Reads a scrape's text.
    init(text: String, at: Date) {
        self.at = at
        requests = 0
        errors = 0
        buckets = [:]
        for sample in Exposition.parse(text) {
            switch sample.name {
            case "http_requests_total" where sample.labels["route"] != "/metrics":
                requests += sample.value
                if sample.labels["status"]?.hasPrefix("5") == true { errors += sample.value }
            case "http_request_duration_seconds_bucket" where sample.labels["route"] != "/metrics":
                if let le = sample.labels["le"].flatMap({ Exposition.number(Substring($0)) }) {
                    buckets[le, default: 0] += sample.value
                }
            case "csv_analyzer_resident_memory_bytes":
                memoryBytes = sample.value
            case "process_memory_limit_bytes":
                memoryLimitBytes = sample.value > 0 ? sample.value : nil
            default:
                break
            }
        }
    }

    init(at: Date, requests: Double, errors: Double, buckets: [Double: Double], memoryBytes: Double?, memoryLimitBytes: Double?) {
        self.at = at
        self.requests = requests
        self.errors = errors
        self.buckets = buckets
        self.memoryBytes = memoryBytes
        self.memoryLimitBytes = memoryLimitBytes
    }

    /// Rates between `previous` and this scrape. Counters that went down (the service restarted)
    /// count from zero, as Prometheus' `rate()` does.
    func interval(since previous: ServiceScrape) -> (requestsPerSecond: Double, errorRatio: Double?, p95Seconds: Double?)? {
        let seconds = at.timeIntervalSince(previous.at)
        guard seconds > 0 else { return nil }
        func delta(_ now: Double, _ before: Double) -> Double { now >= before ? now - before : now }
        let reset = requests < previous.requests
        let requestDelta = reset ? requests : requests - previous.requests
        let errorDelta = reset ? errors : delta(errors, previous.errors)
        var bucketDeltas: [Double: Double] = [:]
        for (le, count) in buckets { bucketDeltas[le] = reset ? count : delta(count, previous.buckets[le] ?? 0) }
        return (requestDelta / seconds,
                requestDelta > 0 ? errorDelta / requestDelta : nil,
                Self.quantile(0.95, cumulative: bucketDeltas))
    }

    /// `histogram_quantile` over cumulative bucket counts: linear interpolation inside the bucket,
    /// the highest finite bound when the rank falls in the `+Inf` bucket; nil without observations.
    static func quantile(_ q: Double, cumulative: [Double: Double]) -> Double? {
        let bounds = cumulative.keys.sorted()
        guard let last = bounds.last, let total = cumulative[last], total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0
        var lowerCount = 0.0
        for bound in bounds {
            let count = cumulative[bound] ?? 0
            if count >= rank {
                if bound.isInfinite { return lowerBound }
                let inBucket = count - lowerCount
                guard inBucket > 0 else { return bound }
                return lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bound
            lowerCount = count
        }
        return lowerBound
    }
}
