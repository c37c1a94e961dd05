import Foundation

/// What one statistics interval added to a run: per request name and overall, with the latency
/// distribution at HdrHistogram precision, and the failures of the interval. Handed to
/// ``RunOptions/onInterval`` after every tick, for reporting deltas elsewhere (a Locust master).
public struct IntervalDelta: Sendable {
    /// One request name's (or the total's) share of the interval.
    public struct Entry: Sendable {
        /// HTTP method (empty for the total).
        public var method: String
        /// Request name (`Aggregated` for the total).
        public var name: String
        /// Requests completed.
        public var requests: Int
        /// Of which failed.
        public var failures: Int
        /// Sum of latencies in milliseconds.
        public var sumMs: Double
        /// Smallest latency in milliseconds (nil without requests).
        public var minMs: Double?
        /// Largest latency in milliseconds.
        public var maxMs: Double
        /// Response body bytes.
        public var contentBytes: Int
        /// Latencies as (milliseconds, count), one pair per HdrHistogram bucket (3 significant digits).
        public var latencies: [(ms: Double, count: UInt64)]

        init(method: String, name: String, _ acc: EntryAccumulator) {
            self.method = method
            self.name = name
            requests = acc.count
            failures = acc.failures
            sumMs = Double(acc.sumMicros) / 1000
            minMs = acc.count > 0 ? Double(acc.minMicros) / 1000 : nil
            maxMs = Double(acc.maxMicros) / 1000
            contentBytes = acc.sumBytes
            var pairs: [(ms: Double, count: UInt64)] = []
            if let h = acc.histogram {
                for v in h.recordedValues() where v.count > 0 {
                    pairs.append((Double(h.medianEquivalentForValue(v.value)) / 1000, v.count))
                }
            }
            latencies = pairs
        }
    }

    /// When the interval ended.
    public var time: Date
    /// Seconds the interval lasted.
    public var seconds: Double
    /// Request names with requests in this interval.
    public var entries: [Entry]
    /// All requests of the interval.
    public var total: Entry
    /// Failures of the interval, per request and cause.
    public var failures: [FailureStats]
}
