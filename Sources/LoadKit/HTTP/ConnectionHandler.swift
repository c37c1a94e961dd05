import NIOCore

/// Receives responses for one virtual user's connection; runs on the connection's event loop.
final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The owner; cleared when the connection is given up.
    var user: VirtualUser?
    private var context: ChannelHandlerContext?
    /// Parser state lives in raw storage: the per-byte hot path then pays no exclusivity checks.
    private let parser: UnsafeMutablePointer<ResponseParser>
    private var awaiting = false
    /// Responses completed on this connection.
    private(set) var responses = 0
    /// False once the channel went inactive or was closed.
    private(set) var isOpen = true

    init(user: VirtualUser) {
        self.user = user
        parser = .allocate(capacity: 1)
        parser.initialize(to: ResponseParser())
    }

    deinit {
        parser.deinitialize(count: 1)
        parser.deallocate()
    }

    /// The last response's head.
    var head: ResponseParser.Head { parser.pointee.head }
    /// The last response's status code, read in place (no copy of the head's strings).
    var status: Int { parser.pointee.head.status }
    /// Whether the last response lets the connection be reused, read in place.
    var keepAlive: Bool { parser.pointee.head.keepAlive }
    /// Whether the last response carried a `Location` header, read in place.
    var hasLocation: Bool { parser.pointee.head.location != nil }
    /// The last response's decoded body size.
    var bodyBytes: Int { parser.pointee.bodyBytes }
    /// The last response's captured body, if capture was asked for.
    var body: ByteBuffer? { parser.pointee.body }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        isOpen = false
    }

    /// Writes one request and starts waiting for its response.
    @inline(__always)
    func send(_ bytes: ByteBuffer, isHead: Bool, captureLimit: Int) {
        guard let context else {
            awaiting = false
            user?.connectionFailed(self, cause: .remoteDisconnected)
            return
        }
        parser.pointee.reset(isHeadRequest: isHead, captureLimit: captureLimit)
        awaiting = true
        context.writeAndFlush(NIOAny(bytes), promise: nil)
    }

    /// Closes the connection without telling the user.
    func close() {
        user = nil
        awaiting = false
        if isOpen {
            isOpen = false
            context?.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard awaiting else {
            if buffer.readableBytes > 0 {
                // Bytes nobody asked for: the connection can no longer be trusted.
                isOpen = false
                context.close(promise: nil)
            }
            return
        }
        do {
            guard case .complete = try parser.pointee.feed(&buffer) else { return }
            awaiting = false
            responses += 1
            if buffer.readableBytes > 0 {
                // The server sent more than one response: deliver this one, drop the connection.
                isOpen = false
                user?.responseComplete(self)
                context.close(promise: nil)
            } else {
                user?.responseComplete(self)
            }
        } catch {
            awaiting = false
            isOpen = false
            user?.connectionFailed(self, cause: FailureCause(error, connectTimeout: 0))
            context.close(promise: nil)
        }
    }

    /// The last handler of its pipeline: nothing after it wants read-complete events (one hop less per read).
    func channelReadComplete(context: ChannelHandlerContext) {}

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        if awaiting {
            awaiting = false
            if parser.pointee.endOfStream() {
                user?.responseComplete(self)
            } else {
                user?.connectionFailed(self, cause: parser.pointee.sawBytes ? .incompleteRead : .remoteDisconnected)
            }
        } else {
            user?.connectionClosed(self)
        }
        user = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        isOpen = false
        if awaiting {
            awaiting = false
            user?.connectionFailed(self, cause: FailureCause(error, connectTimeout: 0))
        }
        context.close(promise: nil)
    }
}
