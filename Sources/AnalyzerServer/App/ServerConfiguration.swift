import AnalyzerAPI
import Foundation
import Logging

/// Everything `csv-analyzer serve` can be told, typed (``ServeOptions/configuration`` derives it
/// from the flags). Defaults start a usable service with no flags. Codable: a worker receives its
/// supervisor's configuration whole (``WorkerSpec``).
public struct ServerConfiguration: Sendable, Codable, Equatable {
    /// Address to bind.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port: Int = 8000
    /// Where datasets, model artifacts and the SQLite database live.
    public var dataDirectory: URL = URL(fileURLWithPath: "data")
    /// Largest accepted CSV upload, in bytes.
    public var maxUploadBytes: Int64 = 100 * 1024 * 1024
    /// Widest CSV accepted (upload or prediction), in columns; wider is refused (413) before parsing.
    public var maxColumns: Int = 2_000
    /// Most rows in one prediction request (JSON array or CSV); more is refused (413) before decoding.
    public var maxBatchRows: Int = 10_000
    /// Header, body and idle timeouts of every connection (slow clients are cut off).
    public var readTimeouts = ReadTimeouts()
    /// The service's memory budget in bytes (reported as `process_memory_limit_bytes`); nil = unlimited.
    public var memoryLimitBytes: Int64?
    /// Datasets with more rows than this train off the request path (HTTP 202 + polling).
    public var syncTrainingRowLimit: Int = 20_000
    /// Log level for the application and access logs.
    public var logLevel: Logger.Level = .info
    /// Where the store lives: `sqlite:PATH` or `postgres://user:pass@host:port/db`; nil = SQLite in
    /// the data directory.
    public var databaseURL: String?
    /// Whether predictions are written to the prediction log (in the background).
    public var predictionLog: Bool = true
    /// The error log file (MemoryError traces, unhandled errors); default `DATA_DIR/logs/error.log`.
    public var errorLogPath: String?
    /// Bearer token of the admin API (`/admin/*`); nil switches the admin API off.
    public var adminToken: String?
    /// Worker processes under a supervisor; nil runs one process without a supervisor.
    public var workers: Int?
    /// Which `generate_features` runs.
    public var featuresImplementation: FeaturesImplementation = .patched
    /// How many copies of each feature matrix the legacy implementation retains (drills use more).
    public var leakScale: Int = 1
    /// Recycle a worker after this many requests (0 = never), plus up to `maxRequestsJitter` more.
    public var maxRequests: Int = 0
    public var maxRequestsJitter: Int = 0
    /// How long a draining worker may take to finish its requests.
    public var gracefulTimeout: Duration = .seconds(30)
    /// A worker whose RSS passes this multiple of its share is killed, as an OOM killer would.
    public var oomKillFactor: Double = 1.25
    /// Model monitoring: drift and feedback windows, MLflow tracking.
    public var monitoring = MonitoringSettings()

    /// The request shape limits as one value.
    var requestLimits: RequestLimits { RequestLimits(maxColumns: maxColumns, maxBatchRows: maxBatchRows) }

    /// The error log path, defaulted under the data directory.
    var resolvedErrorLogPath: String {
        errorLogPath ?? dataDirectory.appendingPathComponent("logs/error.log").path
    }

    public init() {}
}
