import AnalyzerStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the csv-analyzer application: opens the store, recovers from any crash, wires routes.
public enum AnalyzerApplication {
    /// The application and the logic behind it (tests use both).
    public static func build(
        _ configuration: ServerConfiguration, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> (app: some ApplicationProtocol, analyzer: Analyzer) {
        var logger = Logger(label: "csv-analyzer")
        logger.logLevel = configuration.logLevel
        let files = DataDirectory(root: configuration.dataDirectory)
        try files.prepare()
        let store = try await SQLiteStore.open(path: files.databasePath, logger: logger)
        let metrics = ServiceMetrics(memoryLimitBytes: configuration.memoryLimitBytes)
        let analyzer = Analyzer(store: store, files: files, metrics: metrics, configuration: configuration, logger: logger)
        do {
            try await analyzer.recover()
        } catch {
            await analyzer.shutdown()
            throw error
        }

        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: ErrorMiddleware(logger: logger))
        HealthRoutes(analyzer: analyzer).register(on: router)
        APIRoutes(analyzer: analyzer).register(on: router)
        try HTMLRoutes(analyzer: analyzer).register(on: router)

        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "csv-analyzer"),
            services: [ShutdownService(analyzer: analyzer)],
            onServerRunning: onServerRunning,
            logger: logger)
        return (app, analyzer)
    }
}
