import LoadKit

/// What the clients saw during one probe, from two snapshots of the load's totals: requests,
/// failures and p95. A link fault (a proxy toxic) never reaches the service's own metrics, so its
/// SLO is read here.
public struct ClientWindow: Sendable, Equatable {
    /// Requests completed between the snapshots, and how many failed.
    public var requests: Int
    public var failures: Int
    /// p95 of those requests' latency, seconds: the upper bound of the log bucket (25 % wide) that
    /// holds it, so it never reads low. Nil without requests.
    public var p95Seconds: Double?

    /// Failed / all (0 without requests).
    public var errorRatio: Double { requests > 0 ? Double(failures) / Double(requests) : 0 }

    /// The window between two snapshots of the same request totals.
    public init(before: EntryStats, after: EntryStats) {
        self.init(requests: after.requests - before.requests, failures: after.failures - before.failures,
                  before: before.latencyBuckets(), after: after.latencyBuckets())
    }

    /// The window from counts and the whole-run latency buckets (upper bound ms, count) at both ends.
    public init(requests: Int, failures: Int, before: [(upperMs: Double, count: UInt64)], after: [(upperMs: Double, count: UInt64)]) {
        self.requests = max(0, requests)
        self.failures = max(0, failures)
        var earlier: [Double: UInt64] = [:]
        for bucket in before { earlier[bucket.upperMs, default: 0] += bucket.count }
        let delta = after.map { bucket in (bucket.upperMs, bucket.count - min(bucket.count, earlier[bucket.upperMs] ?? 0)) }
            .sorted { $0.0 < $1.0 }
        let total = delta.reduce(0) { $0 + $1.1 }
        guard total > 0 else { p95Seconds = nil; return }
        var seen: UInt64 = 0
        var p95: Double?
        for (upper, count) in delta {
            seen += count
            if Double(seen) >= 0.95 * Double(total) { p95 = upper / 1000; break }
        }
        p95Seconds = p95
    }
}
