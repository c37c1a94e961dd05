import FiredrillRouting
import FiredrillSupport
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The web UI's HTTP server: a Hummingbird application on an event-loop thread of its own, so pages,
/// polls and live streams never run on the event loops that send and time the load.
///
/// That thread (``webGroup``) is one per process and is never shut down: Hummingbird finishes a graceful
/// shutdown in a task of its own that still schedules on the server's event loop after ``stop()``'s
/// `run()` has returned; shutting the loop down then made NIO print "Cannot schedule tasks on an
/// EventLoop that has already shut down" at exit (DESIGN.md, field notes).
public final class WebServer: Sendable {
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the one the system picked when started with port 0).
    public let port: Int
    private let task: Task<Void, Never>
    private let services: ServiceGroup
    private let closing: WebClosing

    /// The event-loop thread every web server of this process serves on (never shut down: see above).
    static let webGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private init(host: String, port: Int, task: Task<Void, Never>, services: ServiceGroup, closing: WebClosing) {
        self.host = host
        self.port = port
        self.task = task
        self.services = services
        self.closing = closing
    }

    /// The page's address, e.g. `http://127.0.0.1:8089/`.
    public var url: String { URLText.http(host: host, port: port, path: "/") }

    /// Serves a page per `settings`: basic auth in front of every route when credentials are set (added
    /// first: Hummingbird applies a middleware to the routes added after it), the shared page assets, then
    /// what `routes` adds; its live streams end when the server stops. HEAD answers wherever GET does; a
    /// request no route takes is a JSON 404 naming the path, or 405 with `Allow` (as Locust answers).
    static func start(
        settings: WebSettings, logger: Logger, routes: (Router<BasicRequestContext>, WebClosing) -> Void
    ) async throws -> WebServer {
        let router = Router(options: .autoGenerateHeadEndpoints)
        if let c = settings.credentials {
            router.middlewares.add(BasicAuthMiddleware(user: c.user, password: c.password))
        }
        WebAssets.addRoutes(to: router)
        let closing = WebClosing()
        routes(router, closing)
        // Last: it applies to no route, only to the router's not-found (which runs every middleware).
        router.add(middleware: UnmatchedRouteMiddleware(routes: router.routes) { unmatched in
            var response = WebError(unmatched.status, code: unmatched.code, message: unmatched.message).response(host: nil)
            if let allow = unmatched.allow { response.headers[.allow] = allow }
            return response
        })
        return try await start(settings: settings, router: router, closing: closing, logger: logger)
    }

    /// Listens per `settings` and serves `router`; its live streams end when
    /// `closing` closes. Returns once the port is bound; throws when it cannot be (in use, not a local address).
    static func start(
        settings: WebSettings, router: Router<BasicRequestContext>, closing: WebClosing, logger: Logger
    ) async throws -> WebServer {
        let group = webGroup
        let bound = BoundOnce()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "firedrill"),
            onServerRunning: { channel in bound.resume(.success(channel.localAddress?.port ?? settings.port)) },
            eventLoopGroupProvider: .shared(group),
            logger: logger)
        let services = ServiceGroup(services: [app], logger: logger)
        let task = Task {
            do {
                try await services.run()
                bound.resume(.failure(WebSettingsError("the web server ended before it listened")))
            } catch {
                bound.resume(.failure(error))
            }
        }
        do {
            let port = try await bound.wait()
            return WebServer(host: settings.host, port: port, task: task, services: services, closing: closing)
        } catch {
            task.cancel()
            await task.value
            throw error
        }
    }

    /// Ends the live streams, lets requests in flight finish and stops listening (the thread stays).
    public func stop() async {
        closing.close()
        try? await Task.sleep(for: .milliseconds(2 * EventStream.slice))
        await services.triggerGracefulShutdown()
        await task.value
    }
}

/// Set when the server stops: live streams end at their next check, so a graceful shutdown
/// does not wait for them.
final class WebClosing: Sendable {
    private let flag = Atomic(false)
    var isClosed: Bool { flag.load(ordering: .relaxed) }
    func close() { flag.store(true, ordering: .relaxed) }
}

/// A continuation resumed at most once, by whichever of "bound" and "failed" comes first.
private final class BoundOnce: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func resume(_ result: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { s in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let ready: Result<Int, any Error>? = state.withLock { s in
                if let r = s.result { return r }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(with: ready) }
        }
    }
}
