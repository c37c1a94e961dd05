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

/// A request that was not read in time; the body's reader sees it (HTTP 408 in the metrics).
struct RequestReadTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Closes a connection whose client is too slow to send a request or idles too long: slowloris
/// connections that send half a head, bodies sent at a byte a second, forgotten keep-alives.
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
    private var timer: Scheduled<Void>?

    init(_ timeouts: ReadTimeouts) { self.timeouts = timeouts }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, timeouts.header, "no complete request head") }
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancel() }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context, timeouts.header, "no complete request head") }
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
            arm(context, timeouts.body, "request body not received")
        case .body:
            break
        case .end:
            readingBody = false
            cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            pending = max(0, pending - 1)
            if pending == 0, !readingBody { arm(context, timeouts.idle, "idle") }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ limit: Duration, _ reason: String) {
        cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(limit.secondsValue * 1e9))) { [self] in
            timer = nil
            if readingBody {
                // The handler reading the body learns why it ended (a 408, not a 500).
                context.fireErrorCaught(RequestReadTimeout(description: "\(reason) within \(limit) (--body-timeout)"))
            }
            context.close(promise: nil)
        }
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
    }
}
