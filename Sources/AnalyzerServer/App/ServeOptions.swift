import AnalyzerAPI
import AnalyzerStore
import ArgumentParser
import FiredrillSupport
import Foundation
import Logging

/// Every flag of `csv-analyzer serve`, declared once: `--help`, the environment fallback (the
/// `[VARIABLE]` in each help text, see ``EnvironmentFallback``) and ``configuration`` come from here.
public struct ServeOptions: ParsableArguments {
    public init() {}

    @Option(help: "Address to bind [CSV_ANALYZER_HOST].")
    public var host: String = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one [CSV_ANALYZER_PORT].")
    public var port: Int = 8000

    @Option(name: .customLong("data-dir"), help: "Folder for datasets, models and the SQLite database [CSV_ANALYZER_DATA_DIR].")
    public var dataDir: String = "data"

    @Option(name: .customLong("max-upload-size"), help: "Largest CSV upload, e.g. 100MiB [CSV_ANALYZER_MAX_UPLOAD_SIZE].")
    public var maxUploadSize: String = "100MiB"

    @Option(help: "Widest CSV accepted (upload or prediction), in columns; wider is refused with 413 [CSV_ANALYZER_MAX_COLUMNS].")
    public var maxColumns: Int = 2_000

    @Option(help: "Most rows in one prediction request; more is refused with 413 [CSV_ANALYZER_MAX_BATCH_ROWS].")
    public var maxBatchRows: Int = 10_000

    @Option(help: "Time a new connection has to send a complete request head, e.g. 10s [CSV_ANALYZER_HEADER_TIMEOUT].")
    public var headerTimeout: String = "10s"

    @Option(help: "Time a client has to send a whole request body after its head, e.g. 60s [CSV_ANALYZER_BODY_TIMEOUT].")
    public var bodyTimeout: String = "60s"

    @Option(help: "Time an idle keep-alive connection stays open, e.g. 75s [CSV_ANALYZER_IDLE_TIMEOUT].")
    public var idleTimeout: String = "75s"

    @Option(name: .customLong("memory-limit"), help: "The service's memory budget, e.g. 512MiB; exported as process_memory_limit_bytes [CSV_ANALYZER_MEMORY_LIMIT].")
    public var memoryLimit: String?

    @Option(name: .customLong("sync-train-rows"), help: "Datasets with more rows train in the background (HTTP 202) [CSV_ANALYZER_SYNC_TRAIN_ROWS].")
    public var syncTrainRows: Int = 20_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical [LOG_LEVEL].")
    public var logLevel: String = "info"

    @Option(
        name: .customLong("database-url"),
        help: "Store: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB; default SQLite in --data-dir [CSV_ANALYZER_DATABASE_URL].")
    public var databaseURL: String?

    @Option(name: .customLong("prediction-log"), help: "on or off: log every prediction to the store [CSV_ANALYZER_PREDICTION_LOG].")
    public var predictionLog: String = "on"

    @Option(name: .customLong("workers"), help: "Run a supervisor and N worker processes on one port (gunicorn-style); without it, one process serves [CSV_ANALYZER_WORKERS].")
    public var workers: Int?

    @Option(name: .customLong("features-impl"), help: "generate_features implementation: patched (in place) or legacy (leaks a copy of every feature matrix) [CSV_ANALYZER_FEATURES_IMPL].")
    public var featuresImpl: String = "patched"

    @Option(name: .customLong("leak-scale"), help: "Copies of each feature matrix the legacy implementation keeps; raise it to make a drill's leak fast [CSV_ANALYZER_LEAK_SCALE].")
    public var leakScale: Int = 1

    @Option(name: .customLong("max-requests"), help: "Recycle a worker after this many requests; 0 = never [CSV_ANALYZER_MAX_REQUESTS].")
    public var maxRequests: Int = 0

    @Option(name: .customLong("max-requests-jitter"), help: "Add up to this many requests to each worker's limit, so workers do not recycle together [CSV_ANALYZER_MAX_REQUESTS_JITTER].")
    public var maxRequestsJitter: Int = 0

    @Option(name: .customLong("graceful-timeout"), help: "Seconds a draining worker may take to finish its requests [CSV_ANALYZER_GRACEFUL_TIMEOUT].")
    public var gracefulTimeout: Double = 30

    @Option(name: .customLong("admin-token"), help: "Bearer token that switches the admin API (/admin: faults, workers, memory) on [CSV_ANALYZER_ADMIN_TOKEN].")
    public var adminToken: String?

    @Option(name: .customLong("error-log"), help: "Error log file (MemoryError traces); default DATA_DIR/logs/error.log [CSV_ANALYZER_ERROR_LOG].")
    public var errorLog: String?

    @Option(name: .customLong("drift-window"), help: "Recent prediction rows per model that PSI drift compares with the training sample [CSV_ANALYZER_DRIFT_WINDOW].")
    public var driftWindow: Int = 1000

    @Option(name: .customLong("drift-window-age"), help: "Rows older than this leave the drift window, e.g. 10m; default: no age limit [CSV_ANALYZER_DRIFT_WINDOW_AGE].")
    public var driftWindowAge: String?

    @Option(name: .customLong("drift-min-rows"), help: "Rows a drift window needs before feature_psi/model_psi_max are exported [CSV_ANALYZER_DRIFT_MIN_ROWS].")
    public var driftMinRows: Int = 100

    @Option(name: .customLong("feedback-window"), help: "Labelled predictions per model that live accuracy/F1 or MAE/R² cover [CSV_ANALYZER_FEEDBACK_WINDOW].")
    public var feedbackWindow: Int = 500

    @Option(name: .customLong("mlflow-tracking-uri"), help: "Log every training run to this MLflow tracking server, e.g. http://127.0.0.1:5000 [MLFLOW_TRACKING_URI].")
    public var mlflowTrackingURI: String?

    /// The configuration these flags describe (the one place flags become typed settings).
    public var configuration: ServerConfiguration {
        var c = ServerConfiguration()
        c.host = host
        c.port = port
        c.dataDirectory = URL(fileURLWithPath: dataDir)
        c.maxUploadBytes = ByteSize.parse(maxUploadSize) ?? c.maxUploadBytes
        c.memoryLimitBytes = memoryLimit.flatMap(ByteSize.parse)
        c.maxColumns = maxColumns
        c.readTimeouts.header = Self.timeout(headerTimeout) ?? c.readTimeouts.header
        c.readTimeouts.body = Self.timeout(bodyTimeout) ?? c.readTimeouts.body
        c.readTimeouts.idle = Self.timeout(idleTimeout) ?? c.readTimeouts.idle
        c.maxBatchRows = maxBatchRows
        c.syncTrainingRowLimit = syncTrainRows
        c.logLevel = Logger.Level(rawValue: logLevel) ?? c.logLevel
        c.databaseURL = databaseURL
        c.predictionLog = predictionLog == "on"
        c.workers = workers
        c.featuresImplementation = FeaturesImplementation(rawValue: featuresImpl) ?? c.featuresImplementation
        c.leakScale = leakScale
        c.maxRequests = maxRequests
        c.maxRequestsJitter = maxRequestsJitter
        c.gracefulTimeout = .milliseconds(Int(gracefulTimeout * 1000))
        c.adminToken = adminToken
        c.errorLogPath = errorLog
        c.monitoring.driftWindow = driftWindow
        c.monitoring.driftWindowAge = driftWindowAge.flatMap(MonitoringSettings.seconds)
        c.monitoring.driftMinimumRows = driftMinRows
        c.monitoring.feedbackWindow = feedbackWindow
        c.monitoring.mlflowTrackingURI = mlflowTrackingURI.flatMap { $0.isEmpty ? nil : $0 }
        return c
    }

    /// A positive duration in the one grammar (`DurationText`), else nil.
    static func timeout(_ text: String) -> Duration? {
        DurationText.duration(text).flatMap { $0 > .zero ? $0 : nil }
    }

    public func validate() throws {
        for (flag, text) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)]
        where Self.timeout(text) == nil {
            throw ValidationError("\(flag): '\(text)' is not a positive duration like 500ms, 10s or 2m")
        }
        if let workers, !(1...64).contains(workers) { throw ValidationError("--workers must be between 1 and 64, got \(workers)") }
        guard FeaturesImplementation(rawValue: featuresImpl) != nil else {
            throw ValidationError("--features-impl must be legacy or patched, got '\(featuresImpl)'")
        }
        guard (1...100_000).contains(leakScale) else { throw ValidationError("--leak-scale must be between 1 and 100000") }
        guard maxRequests >= 0, maxRequestsJitter >= 0 else { throw ValidationError("--max-requests and --max-requests-jitter must not be negative") }
        guard gracefulTimeout > 0 else { throw ValidationError("--graceful-timeout must be positive") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard (1...1_000_000).contains(maxColumns) else { throw ValidationError("--max-columns must be between 1 and 1000000, got \(maxColumns)") }
        guard (1...10_000_000).contains(maxBatchRows) else { throw ValidationError("--max-batch-rows must be between 1 and 10000000, got \(maxBatchRows)") }
        guard ByteSize.parse(maxUploadSize) != nil else { throw ValidationError("--max-upload-size: '\(maxUploadSize)' is not a size like 100MiB") }
        if let memoryLimit, ByteSize.parse(memoryLimit) == nil {
            throw ValidationError("--memory-limit: '\(memoryLimit)' is not a size like 512MiB")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        guard syncTrainRows >= 0 else { throw ValidationError("--sync-train-rows must not be negative") }
        if let databaseURL {
            do { _ = try StoreLocation(parsing: databaseURL) } catch { throw ValidationError("--database-url: \(error.message)") }
        }
        guard ["on", "off"].contains(predictionLog) else { throw ValidationError("--prediction-log must be on or off, got '\(predictionLog)'") }
        guard (1...1_000_000).contains(driftWindow) else { throw ValidationError("--drift-window must be between 1 and 1000000, got \(driftWindow)") }
        if let driftWindowAge, MonitoringSettings.seconds(driftWindowAge) == nil {
            throw ValidationError("--drift-window-age: '\(driftWindowAge)' is not a positive duration like 600, 90s, 10m or 1h")
        }
        guard driftMinRows >= 1 else { throw ValidationError("--drift-min-rows must be at least 1, got \(driftMinRows)") }
        guard (1...1_000_000).contains(feedbackWindow) else { throw ValidationError("--feedback-window must be between 1 and 1000000, got \(feedbackWindow)") }
        if let mlflowTrackingURI, !mlflowTrackingURI.isEmpty {
            guard let url = URL(string: mlflowTrackingURI), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ValidationError("--mlflow-tracking-uri: '\(mlflowTrackingURI)' is not an http(s) URL of an MLflow tracking server")
            }
        }
    }
}
