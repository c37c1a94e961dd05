import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `csv-analyzer serve --workers N`: the supervisor process.
public enum SupervisorMain {
    /// Recovers the data directory, binds the port, starts the workers and runs until SIGTERM/SIGINT.
    public static func run(_ configuration: ServerConfiguration) async throws {
        var baseLogger = Logger(label: "csv-analyzer")
        baseLogger.logLevel = configuration.logLevel
        baseLogger[metadataKey: "role"] = "supervisor"
        let logger = baseLogger
        // Crash recovery happens once, here, before any worker writes.
        let recovering = try await AnalyzerApplication.makeAnalyzer(configuration, workerSlot: nil, memoryShare: nil, recover: true)
        await recovering.shutdown()

        let runDirectory = configuration.dataDirectory.appendingPathComponent("run/\(getpid())").path
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: runDirectory) }
        // The supervisor closes the socket when it stops (``Supervisor/stop()``).
        let (fd, port) = try ListeningSocket.bind(host: configuration.host, port: configuration.port)
        let supervisor = Supervisor(configuration: configuration, runDirectory: runDirectory, listeningSocket: fd, logger: logger)

        let control = Application(
            router: SupervisorControlRoutes.router(supervisor, token: configuration.adminToken),
            configuration: .init(address: .unixDomainSocket(path: WorkerSpec.supervisorSocket(in: runDirectory)), serverName: "csv-analyzer-supervisor"),
            logger: logger)
        let controlGroup = ServiceGroup(configuration: .init(services: [control], logger: logger))
        let stopped = AsyncStream.makeStream(of: Void.self)
        let signals = SupervisorSignals.watch(supervisor, logger: logger) { stopped.continuation.yield() }
        let controlTask = Task { try await controlGroup.run() }
        let pool = Task {
            do {
                // Wait for the control socket, then start the pool.
                try await waitForSocket(WorkerSpec.supervisorSocket(in: runDirectory))
                try await supervisor.start()
                logger.info("Server started and listening on \(configuration.host):\(port)", metadata: ["workers": "\(configuration.workers ?? 1)"])
                let refill = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(2))
                        await supervisor.refillEmptySlots()
                    }
                }
                defer { refill.cancel() }
                while !Task.isCancelled {
                    await supervisor.checkMemory()
                    try await Task.sleep(for: .milliseconds(500))
                }
            } catch is CancellationError {
            } catch {
                logger.critical("the worker pool failed to start", metadata: ["error": "\(error)"])
                stopped.continuation.yield()
                throw error
            }
        }
        for await _ in stopped.stream { break }
        await supervisor.stop()
        pool.cancel()
        await controlGroup.triggerGracefulShutdown()
        _ = try? await controlTask.value
        if case .failure(let error) = await pool.result, !(error is CancellationError) { throw error }
        signals.cancel()
        logger.info("supervisor stopped")
    }

    private static func waitForSocket(_ path: String) async throws {
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: path) {
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}
