/// Coordinated omission in the closed model, detected after the run and optionally corrected.
///
/// A closed-model user sends its next request only after the previous response: while the server
/// stalls, every user is blocked and the requests it would have sent are never measured, so the
/// percentiles look better than what a client arriving at random would see. A response that took far
/// longer than the expected interval between one user's requests marks such a stall. With
/// `--co-correction` the missed samples are back-filled from the expected interval (HdrHistogram's
/// `recordValueWithExpectedInterval`, as wrk2 does) and reported beside the raw numbers.
public struct OmissionReport: Sendable, Codable, Hashable {
    /// The expected interval between one user's requests: median response time plus the mean wait
    /// per request (pacing where it sets the interval), over the user classes, in milliseconds.
    public var expectedIntervalMs: Double
    /// Responses at least this slow count as stalls: 10 × the expected interval, at least 10 ms.
    public var thresholdMs: Double
    /// Responses that took at least ``thresholdMs`` (0 when the generator's own event-loop lag, reported
    /// in the health warnings, explains every such gap).
    public var stalledRequests: Int
    /// The slowest response, milliseconds.
    public var worstMs: Double
    /// Seconds of the run during which some user was blocked on a stalled response (per statistics tick,
    /// its slowest response counted back from the tick's end).
    public var affectedSeconds: Double
    /// ``affectedSeconds`` as a share of the run, in percent.
    public var affectedPercent: Double
    /// Samples the correction added (0 without `--co-correction`).
    public var backfilledSamples: Int
    /// The warning shown in every output, nil when nothing stalled.
    public var warning: String?
    /// With `--co-correction`: per request and `Aggregated` (last), the corrected percentiles.
    public var corrected: [CorrectedEntry]?

    /// True when responses stalled far beyond the expected interval.
    public var detected: Bool { stalledRequests > 0 }

    enum CodingKeys: String, CodingKey {
        case expectedIntervalMs = "expected_interval_ms", thresholdMs = "threshold_ms"
        case stalledRequests = "stalled_requests", worstMs = "worst_ms", affectedSeconds = "affected_seconds"
        case affectedPercent = "affected_percent", backfilledSamples = "backfilled_samples", warning, corrected
    }
}

/// One request name's percentiles before and after the coordinated-omission correction.
public struct CorrectedEntry: Sendable, Codable, Hashable {
    /// HTTP method (empty for the aggregate).
    public var method: String
    /// Request name (`Aggregated` for the aggregate).
    public var name: String
    /// Measured requests.
    public var requests: Int
    /// Requests plus the back-filled samples.
    public var correctedCount: Int
    /// Measured latency at ``EntryStats/levels``, milliseconds.
    public var rawPercentiles: [Double]
    /// Corrected latency at ``EntryStats/levels``, milliseconds.
    public var percentiles: [Double]

    enum CodingKeys: String, CodingKey {
        case method, name, requests, correctedCount = "corrected_count", rawPercentiles = "raw_percentiles", percentiles
    }
}
