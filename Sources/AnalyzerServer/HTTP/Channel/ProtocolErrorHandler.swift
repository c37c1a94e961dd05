import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP/1 parser refuses (a garbage request line, an invalid header line,
/// a bad chunk size, conflicting `Content-Length`s) with 400 `bad_request` in the house JSON shape,
/// `Connection: close`, then closes the connection; Hummingbird itself would write a bare 400 with
/// an empty body. When the error comes mid-body, the route reading the body answers
/// (400 `invalid_body`, ErrorMiddleware) with `Connection: close`; either way nothing written
/// after that answer leaves, and the connection is closed once it is out.
/// Placed first after HTTP decoding; not `Sendable`: one per connection, on its event loop only.
final class ProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose response has not ended.
    private var pending = 0
    /// The parser refused the request stream: answer (or let the route answer) and close.
    private var refused = false
    /// The connection's last answer is written; anything after it is dropped.
    private var finished = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { pending += 1 }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.fireErrorCaught(error)
        guard let error = error as? HTTPParserError, !refused else { return }
        refused = true
        if pending == 0 {
            // The refused bytes began a request: no route saw it, so the answer is ours.
            finished = true
            Self.apiError(error).answerAndClose(context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !finished else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard refused else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.headerFields[.connection] = "close"
            context.write(NIOAny(HTTPResponsePart.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            pending -= 1
            guard pending <= 0 else { return context.write(data, promise: promise) }
            finished = true
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// 400 `bad_request`, saying in plain words what the parser found.
    static func apiError(_ error: HTTPParserError) -> APIError {
        APIError(
            .badRequest, code: "bad_request",
            "the request is not valid HTTP/1.1 (\(error.debugDescription)); check the request line, headers, "
                + "Content-Length and chunked encoding; the connection is closed")
    }
}
