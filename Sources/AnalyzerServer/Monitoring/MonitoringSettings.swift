import Foundation

/// How csv-analyzer retries MLflow: tunables that are not flags (the drift and feedback windows and
/// the tracking server are serve flags, read from ``ServerConfiguration``).
public struct MonitoringSettings: Sendable, Codable, Equatable {
    /// Attempts to log one run to MLflow before giving up.
    public var mlflowMaxAttempts: Int = 6
    /// Delay before the first retry, doubled after each failure (seconds).
    public var mlflowRetryDelay: Double = 1
    /// Deadline of one MLflow REST call (seconds); an unreachable server fails an attempt after it.
    public var mlflowRequestTimeout: Double = 10

    public init() {}
}
