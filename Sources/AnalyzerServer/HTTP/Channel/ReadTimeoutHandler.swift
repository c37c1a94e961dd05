import NIOCore
import NIOHTTPTypes

/// How long a client may take to send a request, and to keep an idle connection
/// (`--header-timeout`, `--body-timeout`, `--idle-timeout`), as gunicorn and nginx bound them.
struct ReadTimeouts: Sendable, Equatable {
    /// From the connection's start to the end of the first request's head.
    var header: Duration
    /// From a request's head to the end of its body (the whole body: a 1 byte/s upload is cut).
    var body: Duration
    /// From the end of a response to the next request's head (keep-alive).
    var idle: Duration
}

/// A request body that was not received within `--body-timeout`; the client gets a 408 and the
/// body's reader sees this error (HTTP 408 in the metrics).
struct RequestReadTimeout: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "the request body did not arrive within \(limit.argument ?? "\(limit)") s (--body-timeout)" }
    /// The answer: 408 `request_timeout`.
    var apiError: APIError { APIError(.requestTimeout, code: "request_timeout", "\(self); the connection is closed") }
}

/// Closes a connection whose client is too slow to send a request or idles too long: slowloris
/// connections that send half a head, bodies sent at a byte a second, forgotten keep-alives. A body
/// cut off is answered first (408 `request_timeout`, `Connection: close`) when no response to its
/// request has started; the route's own later answer is then dropped.
/// Placed after HTTP decoding, so it sees request parts and response ends; not `Sendable`: one per
/// connection, used on its event loop only.
final class ReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeouts: ReadTimeouts
    /// Requests whose response has not ended.
    private var pending = 0
    private var readingBody = false
    /// A response head is written and its end is not.
    private var responding = false
    /// This handler answered the request (a 408); what the route writes afterwards is dropped.
    private var answered = false
    private var timer: Scheduled<Void>?

    init(_ timeouts: ReadTimeouts) { self.timeouts = timeouts }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, timeouts.header) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancel() }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context, timeouts.header) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            pending += 1
            readingBody = true
            arm(context, timeouts.body)
        case .body:
            break
        case .end:
            readingBody = false
            cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if answered {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status.kind != .informational { responding = true }
        case .body:
            break
        case .end:
            responding = false
            pending = max(0, pending - 1)
            if pending == 0, !readingBody { arm(context, timeouts.idle) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ limit: Duration) {
        cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(limit.secondsValue * 1e9))) { [self] in
            timer = nil
            guard readingBody else { return context.close(promise: nil) }
            let timeout = RequestReadTimeout(limit: limit)
            // The handler reading the body learns why it ended (a 408, not a 500), before the
            // connection closes (a close first would end its body as if complete) ...
            context.fireErrorCaught(timeout)
            // ... and the client hears why, unless a response to an earlier or this request is
            // under way: then the connection can only be closed.
            if pending == 1, !responding {
                answered = true
                timeout.apiError.answerAndClose(context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
    }
}
