import NIOCore

/// One virtual user's keep-alive connection, whatever drives it: a NIO channel (``ConnectionHandler``,
/// https) or the generator's own non-blocking socket (``SocketConnection``, plain http). Holds the response
/// parser both feed and what ``VirtualUser`` reads of the last response; runs on the user's event loop.
class UserConnection {
    /// The owner; cleared when the connection is given up.
    var user: VirtualUser?
    /// Parser state lives in raw storage: the per-byte hot path then pays no exclusivity checks.
    let parser: UnsafeMutablePointer<ResponseParser>
    /// A request was sent and its response is not complete yet.
    var awaiting = false
    /// Responses completed on this connection.
    var responses = 0
    /// False once the connection closed or was given up.
    var isOpen = true

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
    final var head: ResponseParser.Head { parser.pointee.head }
    /// The last response's status code, read in place (no copy of the head's strings).
    final var status: Int { parser.pointee.head.status }
    /// Whether the last response lets the connection be reused, read in place.
    final var keepAlive: Bool { parser.pointee.head.keepAlive }
    /// Whether the last response carried a `Location` header, read in place.
    final var hasLocation: Bool { parser.pointee.head.location != nil }
    /// The last response's decoded body size.
    final var bodyBytes: Int { parser.pointee.bodyBytes }
    /// The last response's captured body, if capture was asked for.
    final var body: ByteBuffer? { parser.pointee.body }

    /// Writes one request and starts waiting for its response.
    func send(_ bytes: ByteBuffer, isHead: Bool, captureLimit: Int) {
        fatalError("UserConnection.send is implemented by its subclasses")
    }

    /// Closes the connection without telling the user.
    func close() {
        fatalError("UserConnection.close is implemented by its subclasses")
    }

    /// The peer closed the connection (or it failed without an error to report): completes a response
    /// that reads until close, fails an awaited one, or tells the user an idle connection is gone.
    final func ended() {
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
    }

    /// The connection failed with `cause`: an awaited response fails.
    final func failed(_ cause: FailureCause) {
        isOpen = false
        if awaiting {
            awaiting = false
            user?.connectionFailed(self, cause: cause)
        }
    }
}
