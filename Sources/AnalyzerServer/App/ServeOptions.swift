import AnalyzerAPI
import AnalyzerStore
import ArgumentParser
import Foundation
import Logging

/// Every flag of `csv-analyzer serve`, declared once, typed: `--help`, the environment fallback
/// (the `[VARIABLE]` in each help text, see ``EnvironmentFallback``), ``ServerConfiguration`` (which
/// reads these properties by name) and a worker's settings (``arguments``) all come from here.
/// Adding a flag is one `@Option` here (plus its range check in ``validate()``) and one value in
/// `ServeOptionsTests.nonDefault`.
public struct ServeOptions: ParsableArguments, Sendable {
    /// For ArgumentParser only: an unparsed instance crashes when read; use ``defaults``.
    public init() {}

    @Option(help: "Address to bind [CSV_ANALYZER_HOST].")
    public var host: String = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one [CSV_ANALYZER_PORT].")
    public var port: Int = 8000

    @Option(name: .customLong("data-dir"), help: "Folder for datasets, models and the SQLite database [CSV_ANALYZER_DATA_DIR].")
    public var dataDirectory: URL = URL(fileURLWithPath: "data")

    @Option(name: .customLong("max-upload-size"), help: "Largest CSV upload, e.g. 100MiB [CSV_ANALYZER_MAX_UPLOAD_SIZE].")
    public var maxUploadSize: ByteSize = ByteSize(bytes: 100 << 20)

    @Option(help: "Widest CSV accepted (upload or prediction) and most fields in a prediction row; more is refused with 413 [CSV_ANALYZER_MAX_COLUMNS].")
    public var maxColumns: Int = 2_000

    @Option(help: "Most rows in one prediction request; more is refused with 413 [CSV_ANALYZER_MAX_BATCH_ROWS].")
    public var maxBatchRows: Int = 10_000

    @Option(help: "Time a new connection has to send a complete request head, e.g. 10s [CSV_ANALYZER_HEADER_TIMEOUT].")
    public var headerTimeout: Duration = .seconds(10)

    @Option(help: "Time a client has to send a whole request body after its head, e.g. 60s [CSV_ANALYZER_BODY_TIMEOUT].")
    public var bodyTimeout: Duration = .seconds(60)

    @Option(help: "Time an idle keep-alive connection stays open, e.g. 75s [CSV_ANALYZER_IDLE_TIMEOUT].")
    public var idleTimeout: Duration = .seconds(75)

    @Option(name: .customLong("memory-limit"), help: "The service's memory budget, e.g. 512MiB; exported as process_memory_limit_bytes [CSV_ANALYZER_MEMORY_LIMIT].")
    public var memoryLimit: ByteSize?

    @Option(name: .customLong("sync-train-rows"), help: "Datasets with more rows train in the background (HTTP 202) [CSV_ANALYZER_SYNC_TRAIN_ROWS].")
    public var syncTrainingRowLimit: Int = 20_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical [LOG_LEVEL].")
    public var logLevel: Logger.Level = .info

    @Option(
        name: .customLong("database-url"),
        help: "Store: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB; default SQLite in --data-dir [CSV_ANALYZER_DATABASE_URL].")
    public var databaseURL: String?

    @Option(name: .customLong("prediction-log"), help: "on or off: log every prediction to the store [CSV_ANALYZER_PREDICTION_LOG].")
    public var predictionLog: OnOff = .on

    @Option(name: .customLong("workers"), help: "Run a supervisor and N worker processes on one port (gunicorn-style); without it, one process serves [CSV_ANALYZER_WORKERS].")
    public var workers: Int?

    @Option(name: .customLong("features-impl"), help: "generate_features implementation: patched (in place) or legacy (leaks a copy of every feature matrix) [CSV_ANALYZER_FEATURES_IMPL].")
    public var featuresImplementation: FeaturesImplementation = .patched

    @Option(name: .customLong("leak-scale"), help: "Copies of each feature matrix the legacy implementation keeps; raise it to make a drill's leak fast [CSV_ANALYZER_LEAK_SCALE].")
    public var leakScale: Int = 1

    @Option(name: .customLong("max-requests"), help: "Recycle a worker after this many requests; 0 = never [CSV_ANALYZER_MAX_REQUESTS].")
    public var maxRequests: Int = 0

    @Option(name: .customLong("max-requests-jitter"), help: "Add up to this many requests to each worker's limit, so workers do not recycle together [CSV_ANALYZER_MAX_REQUESTS_JITTER].")
    public var maxRequestsJitter: Int = 0

    @Option(name: .customLong("graceful-timeout"), help: "Seconds a draining worker may take to finish its requests [CSV_ANALYZER_GRACEFUL_TIMEOUT].")
    public var gracefulTimeout: Duration = .seconds(30)

    @Option(name: .customLong("admin-token"), help: "Bearer token that switches the admin API (/admin: faults, workers, memory) on [CSV_ANALYZER_ADMIN_TOKEN].")
    public var adminToken: String?

    @Option(name: .customLong("error-log"), help: "Error log file (MemoryError traces); default DATA_DIR/logs/error.log [CSV_ANALYZER_ERROR_LOG].")
    public var errorLogPath: String?

    @Option(name: .customLong("drift-window"), help: "Recent prediction rows per model that PSI drift compares with the training sample [CSV_ANALYZER_DRIFT_WINDOW].")
    public var driftWindow: Int = 1000

    @Option(name: .customLong("drift-window-age"), help: "Rows older than this leave the drift window, e.g. 10m; default: no age limit [CSV_ANALYZER_DRIFT_WINDOW_AGE].")
    public var driftWindowAge: Duration?

    @Option(name: .customLong("drift-min-rows"), help: "Rows a drift window needs before feature_psi/model_psi_max are exported [CSV_ANALYZER_DRIFT_MIN_ROWS].")
    public var driftMinimumRows: Int = 100

    @Option(name: .customLong("feedback-window"), help: "Labelled predictions per model that live accuracy/F1 or MAE/R² cover [CSV_ANALYZER_FEEDBACK_WINDOW].")
    public var feedbackWindow: Int = 500

    @Option(name: .customLong("mlflow-tracking-uri"), help: "Log every training run to this MLflow tracking server, e.g. http://127.0.0.1:5000 [MLFLOW_TRACKING_URI].")
    public var mlflowTrackingURI: String?

    /// The flags' defaults (what `csv-analyzer serve` runs with when given nothing).
    public static var defaults: ServeOptions {
        do { return try parse([]) } catch { fatalError("the serve flags' defaults do not validate: \(message(for: error))") }
    }

    /// The configuration these flags describe, with the default non-flag tunables.
    public var configuration: ServerConfiguration { ServerConfiguration(options: self) }

    /// These options as a command line (`--flag=value` for every option that has a value), which
    /// ``parse(_:)`` turns back into equal options: how a worker receives its supervisor's flags.
    /// Generic: read through ArgumentParser's own list of the options and their wrappers.
    public var arguments: [String] {
        let values = Mirror(reflecting: self).children.map { child -> String? in
            guard let option = child.value as? any ServeArgumentOption else {
                preconditionFailure("ServeOptions.\(child.label ?? "?") is not an @Option of a ServeArgument type")
            }
            return option.argument
        }
        precondition(values.count == Self.optionFlags.count, "ServeOptions has a property that is not an @Option")
        return zip(Self.optionFlags, values).compactMap { flag, value in value.map { "\(flag)=\($0)" } }
    }

    /// The long flag of every option, in declaration order (the order ArgumentParser reads them in).
    static let optionFlags: [String] = EnvironmentFallback.optionFlags(of: ServeOptions.self)

    public func validate() throws {
        if let workers, !(1...64).contains(workers) { throw ValidationError("--workers must be between 1 and 64, got \(workers)") }
        guard (1...100_000).contains(leakScale) else { throw ValidationError("--leak-scale must be between 1 and 100000") }
        guard maxRequests >= 0, maxRequestsJitter >= 0 else { throw ValidationError("--max-requests and --max-requests-jitter must not be negative") }
        guard gracefulTimeout > .zero else { throw ValidationError("--graceful-timeout must be positive") }
        guard (1...1_000_000).contains(maxColumns) else { throw ValidationError("--max-columns must be between 1 and 1000000, got \(maxColumns)") }
        guard (1...10_000_000).contains(maxBatchRows) else { throw ValidationError("--max-batch-rows must be between 1 and 10000000, got \(maxBatchRows)") }
        for (flag, timeout) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] where timeout <= .zero {
            throw ValidationError("\(flag) must be a positive duration like 500ms, 10s or 2m")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard syncTrainingRowLimit >= 0 else { throw ValidationError("--sync-train-rows must not be negative") }
        if let databaseURL {
            do { _ = try StoreLocation(parsing: databaseURL) } catch { throw ValidationError("--database-url: \(error.message)") }
        }
        guard (1...1_000_000).contains(driftWindow) else { throw ValidationError("--drift-window must be between 1 and 1000000, got \(driftWindow)") }
        if let driftWindowAge, driftWindowAge <= .zero {
            throw ValidationError("--drift-window-age: '\(driftWindowAge.argument ?? "")' is not a positive duration like 600, 90s, 10m or 1h")
        }
        guard driftMinimumRows >= 1 else { throw ValidationError("--drift-min-rows must be at least 1, got \(driftMinimumRows)") }
        guard (1...1_000_000).contains(feedbackWindow) else { throw ValidationError("--feedback-window must be between 1 and 1000000, got \(feedbackWindow)") }
        if let mlflowTrackingURI, !mlflowTrackingURI.isEmpty {
            guard let url = URL(string: mlflowTrackingURI), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ValidationError("--mlflow-tracking-uri: '\(mlflowTrackingURI)' is not an http(s) URL of an MLflow tracking server")
            }
        }
    }
}
