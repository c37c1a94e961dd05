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
        let (fd, port) = try ListeningSocket.bind(host: configuration.host, port: configuration.port)
        defer { close(fd) }
        let supervisor = Supervisor(configuration: configuration, runDirectory: runDirectory, listeningSocket: fd, logger: logger)
        Spawner.startReaper { pid, how in Task { await supervisor.workerExited(pid: pid, how: how) } }

        let control = Application(
            router: controlRouter(supervisor, token: configuration.adminToken),
            configuration: .init(address: .unixDomainSocket(path: runDirectory + "/supervisor.sock"), serverName: "csv-analyzer-supervisor"),
            logger: logger)
        let controlGroup = ServiceGroup(configuration: .init(services: [control], logger: logger))
        let stopped = AsyncStream.makeStream(of: Void.self)
        let signals = SignalHandlers(supervisor: supervisor, logger: logger) { stopped.continuation.yield() }
        let controlTask = Task { try await controlGroup.run() }
        let pool = Task {
            do {
                // Wait for the control socket, then start the pool.
                try await waitForSocket(runDirectory + "/supervisor.sock")
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
        _ = signals
        logger.info("supervisor stopped")
    }

    private static func waitForSocket(_ path: String) async throws {
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: path) {
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    static func controlRouter(_ supervisor: Supervisor, token: String?) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ErrorMiddleware(logger: supervisor.logger, errorLog: nil))
        router.get("internal/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await supervisor.metricsText())))
        }
        router.post("internal/ready") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            await supervisor.workerReady(try JSONDecoder().decode(WorkerHello.self, from: Data(buffer: body)))
            return Responses.noContent()
        }
        router.post("internal/recycle") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let hello = try JSONDecoder().decode(WorkerHello.self, from: Data(buffer: body))
            await supervisor.inBackground { await supervisor.recycle(hello) }
            return Responses.noContent()
        }
        router.get("internal/faults") { _, _ in try Responses.json(supervisor.faults.active()) }
        AdminRoutes(backend: SupervisorAdminBackend(supervisor: supervisor), token: token).register(on: router)
        return router
    }
}

/// gunicorn's signals: TTIN adds a worker, TTOU removes one, HUP rolls a restart, TERM/INT stop.
final class SignalHandlers: Sendable {
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    init(supervisor: Supervisor, logger: Logger, onStop: @escaping @Sendable () -> Void) {
        let actions: [(Int32, @Sendable () -> Void)] = [
            (SIGTTIN, { Task { await supervisor.inBackground { await supervisor.scale(to: supervisor.desired + 1, maxRequests: nil) } } }),
            (SIGTTOU, { Task { await supervisor.inBackground { await supervisor.scale(to: max(1, supervisor.desired - 1), maxRequests: nil) } } }),
            (SIGHUP, { Task { await supervisor.inBackground { await supervisor.rollingRestart(implementation: nil) } } }),
            (SIGTERM, onStop),
            (SIGINT, onStop),
        ]
        for (number, action) in actions {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                logger.info("signal received", metadata: ["signal": "\(number)"])
                action()
            }
            source.resume()
            sources.append(source)
        }
    }
}
