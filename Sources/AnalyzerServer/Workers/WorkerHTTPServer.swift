import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A worker's public HTTP server on the listening socket inherited from the supervisor: every
/// worker accepts from the same kernel queue (as gunicorn's workers do), so a worker that stops
/// accepting leaves pending connections to the others and none is lost.
///
/// A dedicated thread polls and accepts (a connection goes to exactly one worker; the losers of a
/// wake-up see `EAGAIN`), then hands the socket to SwiftNIO and Hummingbird's HTTP/1 channel.
///
/// Draining: the worker stops accepting, answers every further request with `Connection: close`
/// (so clients reconnect to another worker between requests, never mid-request), and finishes
/// when its connections are closed or the graceful timeout passes.
struct WorkerHTTPServer: Sendable {
    let listeningSocket: Int32
    let responder: RouterResponder<BasicRequestContext>
    let connections: ConnectionTracker
    let readTimeouts: ReadTimeouts
    let logger: Logger

    /// Serves until `stopAccepting` returns, then returns once connections are drained (or `timeout`).
    func run(stopAccepting: @escaping @Sendable () async -> Void, timeout: Duration) async throws {
        let responder = self.responder
        let logger = self.logger
        let connections = self.connections
        let timeouts = self.readTimeouts
        let http = HTTP1Channel(responder: { request, responseWriter, channel in
            let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                response = Response(status: .internalServerError)
            }
            response.headers[.server] = "csv-analyzer"
            if connections.isDraining { response.headers[.connection] = "close" }
            try await responseWriter.write(response: response.head, body: response.body)
        }, configuration: .init(additionalChannelHandlers: [ProtocolErrorHandler(), ReadTimeoutHandler(timeouts)]))
        let acceptor = Acceptor(listeningSocket: listeningSocket, logger: logger)
        acceptor.start()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await stopAccepting()
                connections.startDraining()
                acceptor.stop()
                // Busy clients get `Connection: close` on their next response; after a moment,
                // connections still idle are closed.
                try? await Task.sleep(for: .seconds(1))
                connections.quiesceAll()
            }
            for await fd in acceptor.accepted {
                group.addTask {
                    do {
                        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
                        let channel = try await bootstrap.withConnectedSocket(NIOBSDSocket.Handle(fd)) { channel in
                            http.setup(channel: channel, logger: logger)
                        }
                        connections.opened(channel.channel)
                        await http.handle(value: channel, logger: logger)
                        connections.closed(channel.channel)
                    } catch {
                        logger.debug("connection setup failed", metadata: ["error": "\(error)"])
                    }
                    acceptor.connectionEnded()
                }
            }
            // Accepting stopped: wait for the open connections, bounded by the timeout.
            let deadline = ContinuousClock.now + timeout
            while connections.openConnections > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            if connections.openConnections > 0 {
                logger.warning("graceful timeout passed with connections open", metadata: ["open": "\(connections.openConnections)"])
            }
            group.cancelAll()
        }
    }
}

/// Accepts connections from a shared listening socket on its own thread until stopped.
///
/// Every worker's acceptor wakes when a connection is pending, and whichever accepts first serves
/// it. Taking a whole burst at once (64 keep-alive connections opened together) would leave it all
/// to the first worker to wake, and the others idle for the life of those connections; so each
/// acceptor takes one connection per wake-up, after a pause that grows with the connections its
/// worker already serves (10 µs each, at most 200 µs): the less busy worker wins the race.
final class Acceptor: Sendable {
    let accepted: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let listeningSocket: Int32
    private let stopped = Atomic<Bool>(false)
    private let logger: Logger
    /// Connections accepted here and not yet ended (counted at `accept`, so a burst raises the
    /// pause at once, before the connections reach the HTTP server).
    private let open = Atomic<Int>(0)

    /// The pause before accepting when the worker serves `open` connections.
    static func backoff(open: Int) -> useconds_t { useconds_t(min(max(open, 0), 20) * 10) }

    /// A connection this acceptor handed out has ended.
    func connectionEnded() { open.subtract(1, ordering: .relaxed) }

    init(listeningSocket: Int32, logger: Logger) {
        self.listeningSocket = listeningSocket
        self.logger = logger
        (accepted, continuation) = AsyncStream.makeStream(of: Int32.self)
        // Non-blocking, so a worker that loses the race for a connection sees EAGAIN, not a block.
        _ = fcntl(listeningSocket, F_SETFL, fcntl(listeningSocket, F_GETFL) | O_NONBLOCK)
    }

    func start() {
        let thread = Thread { [self] in
            var poller = pollfd(fd: listeningSocket, events: Int16(POLLIN), revents: 0)
            while !stopped.load(ordering: .relaxed) {
                poller.revents = 0
                guard poll(&poller, 1, 100) > 0 else { continue }
                let pause = Self.backoff(open: open.load(ordering: .relaxed))
                if pause > 0 { usleep(pause) }
                guard !stopped.load(ordering: .relaxed) else { break }
                let fd = accept(listeningSocket, nil, nil)
                if fd >= 0 {
                    open.add(1, ordering: .relaxed)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    continuation.yield(fd)
                } else if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR, errno != ECONNABORTED {
                    logger.error("accept failed", metadata: ["errno": "\(errno)"])
                    usleep(10_000)
                }
            }
            // This worker's copy of the shared socket: once the supervisor and every worker have
            // closed theirs, the port refuses new connections instead of queueing them unserved.
            close(listeningSocket)
            continuation.finish()
        }
        thread.name = "csv-analyzer-acceptor"
        thread.start()
    }

    /// Stops accepting (the thread then closes the listening socket); connections already accepted
    /// are served.
    func stop() { stopped.store(true, ordering: .relaxed) }
}
