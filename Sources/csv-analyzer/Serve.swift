import AnalyzerServer
import AnalyzerStore
import ArgumentParser
import Foundation
import Logging

/// `csv-analyzer serve`: runs the web service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web service (JSON API, HTML pages, /metrics).",
        discussion: """
            Every flag falls back to an environment variable (shown in brackets), then to a default.
            Open http://HOST:PORT/ in a browser to upload, train and predict.
            """)

    @Option(help: "Address to bind [CSV_ANALYZER_HOST].")
    var host: String = env("CSV_ANALYZER_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one [CSV_ANALYZER_PORT].")
    var port: Int = env("CSV_ANALYZER_PORT").flatMap(Int.init) ?? 8000

    @Option(name: .customLong("data-dir"), help: "Folder for datasets, models and the SQLite database [CSV_ANALYZER_DATA_DIR].")
    var dataDir: String = env("CSV_ANALYZER_DATA_DIR") ?? "data"

    @Option(name: .customLong("max-upload-size"), help: "Largest CSV upload, e.g. 100MiB [CSV_ANALYZER_MAX_UPLOAD_SIZE].")
    var maxUploadSize: String = env("CSV_ANALYZER_MAX_UPLOAD_SIZE") ?? "100MiB"

    @Option(name: .customLong("memory-limit"), help: "The service's memory budget, e.g. 512MiB; exported as process_memory_limit_bytes [CSV_ANALYZER_MEMORY_LIMIT].")
    var memoryLimitFlag: String?
    /// The flag, else $CSV_ANALYZER_MEMORY_LIMIT.
    var memoryLimit: String? { memoryLimitFlag ?? env("CSV_ANALYZER_MEMORY_LIMIT") }

    @Option(name: .customLong("sync-train-rows"), help: "Datasets with more rows train in the background (HTTP 202) [CSV_ANALYZER_SYNC_TRAIN_ROWS].")
    var syncTrainRows: Int = env("CSV_ANALYZER_SYNC_TRAIN_ROWS").flatMap(Int.init) ?? 20_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical [LOG_LEVEL].")
    var logLevel: String = env("LOG_LEVEL") ?? "info"

    @Option(
        name: .customLong("database-url"),
        help: "Store: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB; default SQLite in --data-dir [CSV_ANALYZER_DATABASE_URL].")
    var databaseURLFlag: String?
    /// The flag, else $CSV_ANALYZER_DATABASE_URL.
    var databaseURL: String? { databaseURLFlag ?? env("CSV_ANALYZER_DATABASE_URL") }

    @Option(name: .customLong("prediction-log"), help: "on or off: log every prediction to the store [CSV_ANALYZER_PREDICTION_LOG].")
    var predictionLog: String = env("CSV_ANALYZER_PREDICTION_LOG") ?? "on"

    @Option(name: .customLong("workers"), help: "Run a supervisor and N worker processes on one port (gunicorn-style); without it, one process serves [CSV_ANALYZER_WORKERS].")
    var workersFlag: Int?
    /// The flag, else $CSV_ANALYZER_WORKERS.
    var workers: Int? { workersFlag ?? env("CSV_ANALYZER_WORKERS").flatMap(Int.init) }

    @Option(name: .customLong("features-impl"), help: "generate_features implementation: patched (in place) or legacy (leaks a copy of every feature matrix) [CSV_ANALYZER_FEATURES_IMPL].")
    var featuresImpl: String = env("CSV_ANALYZER_FEATURES_IMPL") ?? "patched"

    @Option(name: .customLong("leak-scale"), help: "Copies of each feature matrix the legacy implementation keeps; raise it to make a drill's leak fast [CSV_ANALYZER_LEAK_SCALE].")
    var leakScale: Int = env("CSV_ANALYZER_LEAK_SCALE").flatMap(Int.init) ?? 1

    @Option(name: .customLong("max-requests"), help: "Recycle a worker after this many requests; 0 = never [CSV_ANALYZER_MAX_REQUESTS].")
    var maxRequests: Int = env("CSV_ANALYZER_MAX_REQUESTS").flatMap(Int.init) ?? 0

    @Option(name: .customLong("max-requests-jitter"), help: "Add up to this many requests to each worker's limit, so workers do not recycle together [CSV_ANALYZER_MAX_REQUESTS_JITTER].")
    var maxRequestsJitter: Int = env("CSV_ANALYZER_MAX_REQUESTS_JITTER").flatMap(Int.init) ?? 0

    @Option(name: .customLong("graceful-timeout"), help: "Seconds a draining worker may take to finish its requests [CSV_ANALYZER_GRACEFUL_TIMEOUT].")
    var gracefulTimeout: Double = env("CSV_ANALYZER_GRACEFUL_TIMEOUT").flatMap(Double.init) ?? 30

    @Option(name: .customLong("admin-token"), help: "Bearer token that switches the admin API (/admin: faults, workers, memory) on [CSV_ANALYZER_ADMIN_TOKEN].")
    var adminTokenFlag: String?
    /// The flag, else $CSV_ANALYZER_ADMIN_TOKEN.
    var adminToken: String? { adminTokenFlag ?? env("CSV_ANALYZER_ADMIN_TOKEN") }

    @Option(name: .customLong("error-log"), help: "Error log file (MemoryError traces); default DATA_DIR/logs/error.log [CSV_ANALYZER_ERROR_LOG].")
    var errorLogFlag: String?
    /// The flag, else $CSV_ANALYZER_ERROR_LOG.
    var errorLog: String? { errorLogFlag ?? env("CSV_ANALYZER_ERROR_LOG") }

    @Option(name: .customLong("drift-window"), help: "Recent prediction rows per model that PSI drift compares with the training sample [CSV_ANALYZER_DRIFT_WINDOW].")
    var driftWindow: Int = env("CSV_ANALYZER_DRIFT_WINDOW").flatMap(Int.init) ?? 1000

    @Option(name: .customLong("drift-window-age"), help: "Rows older than this leave the drift window, e.g. 10m; default: no age limit [CSV_ANALYZER_DRIFT_WINDOW_AGE].")
    var driftWindowAgeFlag: String?
    /// The flag, else $CSV_ANALYZER_DRIFT_WINDOW_AGE.
    var driftWindowAge: String? { driftWindowAgeFlag ?? env("CSV_ANALYZER_DRIFT_WINDOW_AGE") }

    @Option(name: .customLong("drift-min-rows"), help: "Rows a drift window needs before feature_psi/model_psi_max are exported [CSV_ANALYZER_DRIFT_MIN_ROWS].")
    var driftMinRows: Int = env("CSV_ANALYZER_DRIFT_MIN_ROWS").flatMap(Int.init) ?? 100

    @Option(name: .customLong("feedback-window"), help: "Labelled predictions per model that live accuracy/F1 or MAE/R² cover [CSV_ANALYZER_FEEDBACK_WINDOW].")
    var feedbackWindow: Int = env("CSV_ANALYZER_FEEDBACK_WINDOW").flatMap(Int.init) ?? 500

    @Option(name: .customLong("mlflow-tracking-uri"), help: "Log every training run to this MLflow tracking server, e.g. http://127.0.0.1:5000 [MLFLOW_TRACKING_URI].")
    var mlflowTrackingURIFlag: String?
    /// The flag, else $MLFLOW_TRACKING_URI.
    var mlflowTrackingURI: String? { mlflowTrackingURIFlag ?? env("MLFLOW_TRACKING_URI") }

    func validate() throws {
        if let workers, !(1...64).contains(workers) { throw ValidationError("--workers must be between 1 and 64, got \(workers)") }
        guard FeaturesImplementation(rawValue: featuresImpl) != nil else {
            throw ValidationError("--features-impl must be legacy or patched, got '\(featuresImpl)'")
        }
        guard (1...100_000).contains(leakScale) else { throw ValidationError("--leak-scale must be between 1 and 100000") }
        guard maxRequests >= 0, maxRequestsJitter >= 0 else { throw ValidationError("--max-requests and --max-requests-jitter must not be negative") }
        guard gracefulTimeout > 0 else { throw ValidationError("--graceful-timeout must be positive") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
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

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = URL(fileURLWithPath: dataDir)
        configuration.maxUploadBytes = ByteSize.parse(maxUploadSize)!
        configuration.memoryLimitBytes = memoryLimit.flatMap(ByteSize.parse)
        configuration.syncTrainingRowLimit = syncTrainRows
        configuration.logLevel = Logger.Level(rawValue: logLevel)!
        configuration.databaseURL = databaseURL
        configuration.predictionLog = predictionLog == "on"
        configuration.workers = workers
        configuration.featuresImplementation = FeaturesImplementation(rawValue: featuresImpl)!
        configuration.leakScale = leakScale
        configuration.maxRequests = maxRequests
        configuration.maxRequestsJitter = maxRequestsJitter
        configuration.gracefulTimeout = .milliseconds(Int(gracefulTimeout * 1000))
        configuration.adminToken = adminToken
        configuration.errorLogPath = errorLog
        configuration.monitoring.driftWindow = driftWindow
        configuration.monitoring.driftWindowAge = driftWindowAge.flatMap(MonitoringSettings.seconds)
        configuration.monitoring.driftMinimumRows = driftMinRows
        configuration.monitoring.feedbackWindow = feedbackWindow
        configuration.monitoring.mlflowTrackingURI = mlflowTrackingURI.flatMap { $0.isEmpty ? nil : $0 }
        if workers != nil {
            try await SupervisorMain.run(configuration)
        } else {
            let (app, _) = try await AnalyzerApplication.build(configuration)
            try await app.runService()
        }
    }
}
