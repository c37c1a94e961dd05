import NIOCore
import NIOHTTP1

/// Answers `GET /metrics` (and `HEAD`) with the Prometheus text of the latest snapshot; 404 elsewhere.
/// Sits behind NIOHTTP1's server pipeline; honours keep-alive.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let snapshot: @Sendable () -> StatsSnapshot
    private var head: HTTPRequestHead?

    init(snapshot: @escaping @Sendable () -> StatsSnapshot) {
        self.snapshot = snapshot
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break   // scrapes carry no body; ignore any
        case .end:
            guard let h = head else { return }
            head = nil
            respond(to: h, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let status: HTTPResponseStatus
        var body: String
        var headers = HTTPHeaders()
        if path == "/metrics" {
            if request.method == .GET || request.method == .HEAD {
                status = .ok
                body = PrometheusText.render(snapshot())
                headers.add(name: "Content-Type", value: PrometheusText.contentType)
            } else {
                status = .methodNotAllowed
                body = "method not allowed\n"
                headers.add(name: "Allow", value: "GET, HEAD")
                headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            }
        } else {
            status = .notFound
            body = "not found: try /metrics\n"
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        let keepAlive = request.isKeepAlive
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        if request.method == .HEAD { body = "" }
        var responseHead = HTTPResponseHead(version: request.version, status: status, headers: headers)
        if request.version.major == 1 && request.version.minor == 0 && keepAlive {
            responseHead.headers.add(name: "Connection", value: "keep-alive")
        }
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }
}
