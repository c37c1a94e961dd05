import FiredrillSupport
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The drill's Alertmanager webhook: a tiny HTTP server that records every notification.
///
/// `POST /alerts` with Alertmanager's webhook payload (version 4) answers 200 and is recorded;
/// a malformed payload answers 400 with `{"error": "…"}` naming what is wrong; a body over 1 MiB
/// answers 413; any other method or path answers 404.
public final class WebhookReceiver: Sendable {
    /// The largest accepted body.
    public static let maximumBodySize = 1 << 20

    /// The address it listens on.
    public let host: String
    /// The bound port (the one picked when started with port 0).
    public let port: Int
    private let channel: any Channel
    private let inbox: Inbox

    private init(host: String, port: Int, channel: any Channel, inbox: Inbox) {
        self.host = host
        self.port = port
        self.channel = channel
        self.inbox = inbox
    }

    /// Starts listening on `host:port` (port 0 picks a free port).
    public static func start(host: String = "127.0.0.1", port: Int = 0) async throws -> WebhookReceiver {
        let inbox = Inbox()
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard inbox.track(channel) else { throw ChannelError.ioOnClosedChannel }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(WebhookHandler(inbox: inbox))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw ControlError(message: "cannot start the webhook on \(host):\(port): \(error)")
        }
        return WebhookReceiver(host: host, port: channel.localAddress?.port ?? port, channel: channel, inbox: inbox)
    }

    /// Where Alertmanager should post, e.g. `http://127.0.0.1:40123/alerts` (`0.0.0.0` and `::`
    /// are shown as the loopback address).
    public var url: String {
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        return URLText.http(host: shown, port: port, path: "/alerts")
    }

    /// The notifications received so far, oldest first.
    public func notifications() -> [AlertNotification] { inbox.notifications() }

    /// Stops listening and closes open connections (idempotent).
    public func stop() async {
        let connections = inbox.close()
        try? await channel.close()
        for connection in connections { try? await connection.close() }
    }

    /// The recorded notifications and the open connections, shared with the handlers.
    final class Inbox: Sendable {
        private struct State {
            var notifications: [AlertNotification] = []
            var connections: [ObjectIdentifier: any Channel] = [:]
            var closed = false
        }

        private let state = Mutex(State())

        func record(_ notification: AlertNotification) { state.withLock { $0.notifications.append(notification) } }

        func notifications() -> [AlertNotification] { state.withLock { $0.notifications } }

        /// Registers a new connection; false once stopped.
        func track(_ channel: any Channel) -> Bool {
            let accepted = state.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.connections[ObjectIdentifier(channel)] = channel
                return true
            }
            if accepted {
                channel.closeFuture.whenComplete { [self] _ in
                    _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
                }
            }
            return accepted
        }

        /// Refuses new connections; returns the open ones.
        func close() -> [any Channel] {
            state.withLock { state in
                state.closed = true
                defer { state.connections.removeAll() }
                return Array(state.connections.values)
            }
        }
    }
}

/// Serves one connection: buffers each request's body (up to the limit) and answers it.
private final class WebhookHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let inbox: WebhookReceiver.Inbox
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var refused = false

    init(inbox: WebhookReceiver.Inbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            refused = false
        case .body(var chunk):
            guard !refused, let head else { return }
            if body.readableBytes + chunk.readableBytes > WebhookReceiver.maximumBodySize {
                refused = true
                respond(context, head, .payloadTooLarge,
                        ["error": "the body exceeds \(WebhookReceiver.maximumBodySize) bytes"], keepAlive: false)
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard !refused, let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard head.method == .POST, path == "/alerts" else {
                respond(context, head, .notFound, ["error": "not found: \(head.method) \(path) (only POST /alerts is served)"],
                        keepAlive: head.isKeepAlive)
                return
            }
            let data = Data(body.readableBytesView)
            do {
                inbox.record(try WebhookPayload.parse(data, receivedAt: Date()))
                respond(context, head, .ok, ["status": "ok"], keepAlive: head.isKeepAlive)
            } catch {
                respond(context, head, .badRequest, ["error": "invalid Alertmanager webhook payload: \(error)"],
                        keepAlive: head.isKeepAlive)
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
                         _ object: [String: String], keepAlive: Bool) {
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(json.count + 1))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: json.count + 1)
        buffer.writeBytes(json)
        buffer.writeString("\n")
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
