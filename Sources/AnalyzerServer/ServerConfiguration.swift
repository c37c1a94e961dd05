import Foundation
import Logging

/// Everything `csv-analyzer serve` can be told. Defaults start a usable service with no flags.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port: Int = 8000
    /// Where datasets, model artifacts and the SQLite database live.
    public var dataDirectory: URL = URL(fileURLWithPath: "data")
    /// Largest accepted CSV upload, in bytes.
    public var maxUploadBytes: Int64 = 100 * 1024 * 1024
    /// The service's memory budget in bytes (reported as `process_memory_limit_bytes`); nil = unlimited.
    public var memoryLimitBytes: Int64?
    /// Datasets with more rows than this train off the request path (HTTP 202 + polling).
    public var syncTrainingRowLimit: Int = 20_000
    /// Log level for the application and access logs.
    public var logLevel: Logger.Level = .info

    public init() {}
}
