import Foundation

/// The full run summary as JSON: statistics, failures, thresholds, history and the latency histogram.
public struct JSONReport: Encodable {
    /// Tool and version.
    public var tool = "firedrill \(LoadKit.version)"
    /// True when every threshold held.
    public var passed: Bool
    /// The target.
    public var host: String
    /// The load model, in words.
    public var load: String
    /// The run.
    public var summary: RunSummary
    /// Whole-run latency distribution (upper bound ms, count).
    public var latencyHistogram: [Bucket]
    /// Per request name and `Aggregated`: the full HdrHistogram, for `firedrill merge`.
    public var hdr: [HDRSnapshot]

    /// One histogram bucket.
    public struct Bucket: Encodable {
        /// Upper bound in milliseconds.
        public var leMs: Double
        /// Requests in the bucket.
        public var count: UInt64
    }

    /// Builds the report.
    public init(plan: LoadPlan, summary: RunSummary) {
        passed = summary.passed
        host = plan.host
        load = plan.load.summary
        self.summary = summary
        latencyHistogram = summary.stats.total.latencyBuckets().map { Bucket(leMs: $0.upperMs, count: $0.count) }
        hdr = HDRSnapshot.all(summary.stats)
    }

    /// Pretty-printed JSON bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
