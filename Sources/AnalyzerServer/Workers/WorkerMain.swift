import FiredrillSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A worker process: the public server on the inherited socket, plus a unix-socket server the
/// supervisor uses to scrape it, push faults and settings, and ask it to drain.
public enum WorkerMain {
    /// The listening socket a worker inherits from its supervisor.
    static let inheritedSocket: Int32 = 3

    /// Runs the worker described by the environment until it has drained; returns the exit code.
    public static func run() async throws {
        // The supervisor answers Ctrl-C, HUP, TTIN and TTOU for the whole pool (a terminal sends
        // them to the group); a worker drains only when told (or on SIGTERM, see DrainSignal).
        // ChildProcess starts it with default dispositions, so they are switched off here.
        for number in [SIGINT, SIGHUP, SIGTTIN, SIGTTOU, SIGPIPE] { signal(number, SIG_IGN) }
        guard let json = ProcessInfo.processInfo.environment[WorkerSpec.environmentKey],
              let spec = try? JSONDecoder().decode(WorkerSpec.self, from: Data(json.utf8))
        else {
            throw AnalyzerError(.failed, code: "not_a_worker", "csv-analyzer worker is started by `csv-analyzer serve --workers N`, not by hand")
        }
        let analyzer = try await AnalyzerApplication.makeAnalyzer(
            spec.configuration, workerSlot: spec.slot, memoryShare: spec.memoryShareBytes, recover: false)
        let supervisor = SupervisorClient(socket: spec.supervisorSocket, slot: spec.slot, generation: spec.generation)
        let logger = analyzer.logger
        let recycle = RecycleCounter(limit: spec.configuration.maxRequests, jitter: spec.configuration.maxRequestsJitter)
        let router = AnalyzerApplication.makeRouter(
            analyzer, supervisor: supervisor,
            recycle: RecycleMiddleware(counter: recycle) {
                logger.info("max requests reached: asking the supervisor for a replacement")
                try? await supervisor.requestRecycle(pid: getpid())
            })
        let drain = DrainSignal()
        // Orphaned (the supervisor was killed with SIGKILL): drain and exit rather than keep serving
        // a port nobody supervises. (PR_SET_PDEATHSIG follows the spawning thread, not the process.)
        let supervisorPID = getppid()
        let orphanWatch = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if getppid() != supervisorPID {
                    logger.warning("the supervisor (pid \(supervisorPID)) is gone: draining and exiting")
                    drain.fire()
                    return
                }
            }
        }
        defer { orphanWatch.cancel() }
        let controlApp = Application(
            router: WorkerInternalRoutes(analyzer: analyzer, drain: drain, recycle: recycle).router(),
            configuration: .init(address: .unixDomainSocket(path: spec.workerSocket), serverName: "csv-analyzer-worker"),
            services: [BackgroundService(analyzer: analyzer)],
            onServerRunning: { _ in
                do {
                    analyzer.runtime.faults.replace(with: try await supervisor.faults())
                    try await supervisor.ready(pid: getpid(), workerSocket: spec.workerSocket)
                } catch {
                    logger.error("could not report to the supervisor; exiting", metadata: ["error": "\(error)"])
                    exit(3)
                }
            },
            logger: logger)
        let server = WorkerHTTPServer(
            listeningSocket: inheritedSocket, responder: router.buildResponder(), connections: ConnectionTracker(),
            readTimeouts: spec.configuration.readTimeouts, logger: logger)
        let controlGroup = ServiceGroup(configuration: .init(services: [controlApp], logger: logger))
        let controlTask = Task { try await controlGroup.run() }
        // The public server returns once drained; then everything stops.
        try await server.run(stopAccepting: { await drain.wait() }, timeout: spec.configuration.gracefulTimeout)
        await controlGroup.triggerGracefulShutdown()
        _ = try? await controlTask.value
        await analyzer.shutdown()
        logger.info("worker drained and stopped")
    }
}

/// Fires once: the supervisor asked the worker to drain (or SIGTERM arrived).
final class DrainSignal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let watcher: SignalWatcher

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        self.stream = stream
        self.continuation = continuation
        watcher = SignalWatcher([SIGTERM]) { _ in continuation.yield() }
    }

    func fire() { continuation.yield() }

    func wait() async {
        for await _ in stream { return }
    }
}
