import AnalyzerStore
import FiredrillRouting
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds csv-analyzer: opens the store, recovers from any crash, wires routes. A single process
/// serves everything itself; a worker under the supervisor asks the supervisor for `/metrics`
/// and `/admin`.
public enum AnalyzerApplication {
    /// The single-process application and the logic behind it (tests use both).
    public static func build(
        _ configuration: ServerConfiguration, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> (app: some ApplicationProtocol, analyzer: Analyzer) {
        let analyzer = try await makeAnalyzer(configuration, workerSlot: nil, memoryShare: configuration.memoryLimit?.bytes, recover: true)
        let router = makeRouter(analyzer, supervisor: nil)
        let timeouts = configuration.readTimeouts
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ProtocolErrorHandler(), ReadTimeoutHandler(timeouts)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "csv-analyzer"),
            services: [ShutdownService(analyzer: analyzer), BackgroundService(analyzer: analyzer)],
            onServerRunning: onServerRunning,
            logger: analyzer.logger)
        return (app, analyzer)
    }

    /// Opens the store and files and recovers from an earlier crash.
    static func makeAnalyzer(
        _ configuration: ServerConfiguration, workerSlot: Int?, memoryShare: Int64?, recover: Bool
    ) async throws -> Analyzer {
        var logger = Logger(label: "csv-analyzer")
        logger.logLevel = configuration.logLevel
        if let workerSlot { logger[metadataKey: "worker"] = "\(workerSlot)" }
        let files = DataDirectory(root: configuration.dataDirectory)
        try files.prepare()
        let location = try configuration.databaseURL.map { try StoreLocation(parsing: $0) } ?? .sqlite(path: files.databasePath)
        let store = try await location.open(logger: logger)
        let metrics = ServiceMetrics(memoryLimitBytes: configuration.memoryLimit?.bytes)
        let runtime = ServiceRuntime(
            implementation: configuration.featuresImplementation, leakScale: configuration.leakScale,
            memoryShare: memoryShare, workerSlot: workerSlot,
            errorLog: try ErrorLog(path: configuration.resolvedErrorLogPath), metrics: metrics, logger: logger)
        let analyzer = Analyzer(
            store: store, files: files, metrics: metrics, configuration: configuration, runtime: runtime, logger: logger)
        do {
            // Under a supervisor, the supervisor recovers once before any worker starts.
            if recover { try await analyzer.recover() }
        } catch {
            await analyzer.shutdown()
            throw error
        }
        return analyzer
    }

    /// The public routes. `supervisor` is set for a worker: `/metrics` and `/admin` go there.
    static func makeRouter(
        _ analyzer: Analyzer, supervisor: SupervisorClient?, recycle: RecycleMiddleware<BasicRequestContext>? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: HTTPMetricsMiddleware(metrics: analyzer.metrics))
        if let recycle { router.add(middleware: recycle) }
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: ErrorMiddleware(logger: analyzer.logger, errorLog: analyzer.runtime.errorLog,
                                               storeErrors: analyzer.metrics.storeErrors))
        router.add(middleware: FaultMiddleware(faults: analyzer.runtime.faults, logger: analyzer.logger))
        HealthRoutes(analyzer: analyzer, supervisor: supervisor).register(on: router)
        OpenAPIDocument.register(on: router)
        DatasetRoutes(analyzer: analyzer).register(on: router)
        ModelRoutes(analyzer: analyzer).register(on: router)
        ModelVersionRoutes(analyzer: analyzer).register(on: router)
        PredictionRoutes(analyzer: analyzer).register(on: router)
        MonitoringRoutes(analyzer: analyzer).register(on: router)
        // The templates are compiled into the binary; registering them cannot fail at run time.
        try! HTMLRoutes(analyzer: analyzer).register(on: router)
        if let supervisor {
            supervisor.registerAdminProxy(on: router)
        } else {
            AdminRoutes(backend: LocalAdminBackend(analyzer: analyzer), token: analyzer.configuration.adminToken).register(on: router)
        }
        // Last: it applies to no route, only to the router's not-found (which runs every middleware).
        router.add(middleware: UnmatchedRouteMiddleware(routes: router.routes) { throw APIError($0) })
        return router
    }
}

/// Runs the memory sampler, fault expiry and model-gauge refresh for the lifetime of the application.
struct BackgroundService: Service {
    let analyzer: Analyzer

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await analyzer.runtime.runBackgroundTasks() }
                group.addTask {
                    while !Task.isCancelled {
                        await analyzer.refreshQualityGauges()
                        try? await Task.sleep(for: .seconds(5))
                    }
                }
                if (analyzer.runtime.workerSlot ?? 0) == 0 {
                    group.addTask {
                        while !Task.isCancelled {
                            do {
                                try await analyzer.resubmitOrphanedRuns()
                            } catch {
                                analyzer.logger.notice("could not look for orphaned MLflow runs", metadata: ["error": "\(error)"])
                            }
                            try? await Task.sleep(for: .seconds(60))
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Analyzer.abandonedTrainingSweepInterval)
                        do {
                            try await analyzer.failAbandonedTrainings()
                        } catch {
                            analyzer.logger.notice("could not look for abandoned trainings", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }
}
