import AnalyzerServer
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
    var memoryLimit: String? = env("CSV_ANALYZER_MEMORY_LIMIT")

    @Option(name: .customLong("sync-train-rows"), help: "Datasets with more rows train in the background (HTTP 202) [CSV_ANALYZER_SYNC_TRAIN_ROWS].")
    var syncTrainRows: Int = env("CSV_ANALYZER_SYNC_TRAIN_ROWS").flatMap(Int.init) ?? 20_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical [LOG_LEVEL].")
    var logLevel: String = env("LOG_LEVEL") ?? "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard ByteSize.parse(maxUploadSize) != nil else { throw ValidationError("--max-upload-size: '\(maxUploadSize)' is not a size like 100MiB") }
        if let memoryLimit, ByteSize.parse(memoryLimit) == nil {
            throw ValidationError("--memory-limit: '\(memoryLimit)' is not a size like 512MiB")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level '\(logLevel)'") }
        guard syncTrainRows >= 0 else { throw ValidationError("--sync-train-rows must not be negative") }
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
        let (app, _) = try await AnalyzerApplication.build(configuration)
        try await app.runService()
    }
}
