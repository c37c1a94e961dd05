import Foundation

/// The result of a finished run.
public struct RunSummary: Sendable, Codable {
    /// When traffic started.
    public var startTime: Date
    /// When the run ended.
    public var endTime: Date
    /// Seconds of traffic.
    public var duration: Double
    /// The final statistics.
    public var stats: StatsSnapshot
    /// Aggregated history, one point per second (merged for long runs).
    public var history: [HistoryPoint]
    /// Threshold outcomes.
    public var thresholds: [ThresholdResult]
    /// Why the run ended: `completed`, `stopped`, or `threshold: …` when `abort_on_fail` fired.
    public var endReason: String
    /// Requests still in flight when `stop_timeout` ran out; each is counted in the statistics as a
    /// `StopTimeout` failure.
    public var abandonedRequests: Int

    /// Closed model: when each change of the user count completed (the last user started or stopped).
    public var ramps: [RampRecord]

    /// Per request name and `Aggregated`: statistics of every interval (nil in files from before they were kept).
    public var intervals: [IntervalSeries]? = nil

    /// Closed model: coordinated omission found (and, with `--co-correction`, corrected); nil in the open model.
    public var coordinatedOmission: OmissionReport? = nil

    /// True when every threshold held.
    public var passed: Bool { thresholds.allSatisfy(\.passed) }

    enum CodingKeys: String, CodingKey {
        case startTime = "start_time", endTime = "end_time", duration, stats, history, thresholds
        case endReason = "end_reason", abandonedRequests = "abandoned_requests", ramps, intervals
        case coordinatedOmission = "coordinated_omission"
    }
}
