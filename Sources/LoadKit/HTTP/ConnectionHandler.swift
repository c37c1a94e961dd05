import NIOCore

/// Receives responses for one virtual user's NIO channel (https, or `--transport nio`); runs on the
/// channel's event loop.
final class ConnectionHandler: UserConnection, ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        isOpen = false
    }

    @inline(__always)
    override func send(_ bytes: ByteBuffer, isHead: Bool, captureLimit: Int) {
        guard let context else {
            awaiting = false
            user?.connectionFailed(self, cause: .remoteDisconnected)
            return
        }
        parser.pointee.reset(isHeadRequest: isHead, captureLimit: captureLimit)
        awaiting = true
        context.writeAndFlush(NIOAny(bytes), promise: nil)
    }

    override func close() {
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
            failed(FailureCause(error, connectTimeout: 0))
            context.close(promise: nil)
        }
    }

    /// The last handler of its pipeline: nothing after it wants read-complete events (one hop less per read).
    func channelReadComplete(context: ChannelHandlerContext) {}

    func channelInactive(context: ChannelHandlerContext) {
        ended()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failed(FailureCause(error, connectTimeout: 0))
        context.close(promise: nil)
    }
}
