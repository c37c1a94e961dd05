#if os(Linux)
import CEpoll
import Glibc
import NIOCore
import NIOPosix

/// A virtual user's plain-http keep-alive connection over the generator's own non-blocking socket, on a
/// ``SocketEventLoop``: a request is written at once (the rest of a partial write waits for EPOLLOUT), a
/// readable socket is read into the loop's one buffer and fed to the same ``ResponseParser`` as
/// ``ConnectionHandler``, with the same callbacks into ``VirtualUser``.
final class SocketConnection: UserConnection {
    let loop: SocketEventLoop
    /// The epoll token of the descriptor's registration (set by the loop).
    var token: UInt64 = 0
    private(set) var fd: Int32 = -1
    /// The unsent rest of a request (the socket's send buffer was full).
    private var pending: ByteBuffer?
    /// Set while connecting.
    private var connecting: EventLoopPromise<Void>?
    /// Monotonic nanoseconds by which the connect must have succeeded.
    private(set) var connectDeadline: UInt64 = 0
    private var connectTimeout = 0.0

    init(user: VirtualUser, loop: SocketEventLoop) {
        self.loop = loop
        super.init(user: user)
    }

    /// Whether a connect is still in progress.
    var isConnecting: Bool { connecting != nil }

    /// Connects to `origin` (its address cached by `connector`, resolved here otherwise) within the
    /// connector's connect timeout. The future fails with a ``FailureCause`` or an `IOError`.
    func connect(to origin: Origin, connector: Connector) -> EventLoopFuture<Void> {
        if origin.tls {
            return loop.makeFailedFuture(FailureCause.other(
                "UnsupportedTransport: \(origin) needs TLS, which the socket transport does not speak (run with --transport nio)"))
        }
        // The plan's origins are resolved before the run; another (a redirect's) is resolved on NIO's
        // thread pool, since getaddrinfo blocks and would stall every user of this loop.
        if let address = connector.cachedAddress(for: origin) {
            return connect(to: address, timeout: connector.connectTimeout)
        }
        let timeout = connector.connectTimeout
        let connection = NIOLoopBound(self, eventLoop: loop)
        return NIOThreadPool.singleton.runIfActive(eventLoop: loop) { try connector.resolvedAddress(for: origin) }
            .flatMapErrorThrowing { _ in throw FailureCause.nameResolution("cannot resolve \(origin.host)") }
            .flatMap { address in connection.value.connect(to: address, timeout: timeout) }
    }

    /// Connects to `address` within `timeout` seconds.
    func connect(to address: SocketAddress, timeout: Double) -> EventLoopFuture<Void> {
        let family = address.withSockAddr { pointer, _ in Int32(pointer.pointee.sa_family) }
        fd = socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return failedNow(errno, "socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = address.withSockAddr { pointer, size in Glibc.connect(fd, pointer, socklen_t(size)) }
        if rc != 0 && errno != EINPROGRESS { return failedNow(errno, "connect") }
        let inProgress = rc != 0
        guard loop.register(self, fd: fd, events: inProgress ? EPOLLOUT.rawValue : EPOLLIN.rawValue) else {
            return failedNow(errno, "epoll_ctl")
        }
        guard inProgress else { return loop.makeSucceededVoidFuture() }
        let promise = loop.makePromise(of: Void.self)
        connecting = promise
        connectTimeout = timeout
        connectDeadline = NIODeadline.now().uptimeNanoseconds &+ UInt64(max(0, timeout) * 1e9)
        loop.watchConnect(self)
        return promise.futureResult
    }

    private func failedNow(_ code: Int32, _ call: String) -> EventLoopFuture<Void> {
        closeDescriptor()
        isOpen = false
        return loop.makeFailedFuture(IOError(errnoCode: code, reason: call))
    }

    /// The loop's connect sweep found the deadline passed.
    func connectTimedOut() {
        guard let promise = connecting else { return }
        connecting = nil
        isOpen = false
        closeDescriptor()
        promise.fail(FailureCause.connectTimeout(connectTimeout))
    }

    @inline(__always)
    override func send(_ bytes: ByteBuffer, isHead: Bool, captureLimit: Int) {
        guard isOpen, fd >= 0 else {
            awaiting = false
            user?.connectionFailed(self, cause: .remoteDisconnected)
            return
        }
        parser.pointee.reset(isHeadRequest: isHead, captureLimit: captureLimit)
        awaiting = true
        if pending != nil {
            // The previous request's body is still going out (its response came early): this one follows it.
            pending!.writeImmutableBuffer(bytes)
            return
        }
        let count = bytes.readableBytes
        guard let n = write(bytes), n < count else { return }
        pending = bytes.getSlice(at: bytes.readerIndex + n, length: count - n)
        loop.modify(fd: fd, token: token, events: EPOLLIN.rawValue | EPOLLOUT.rawValue)
    }

    /// Sends what the socket takes of `bytes` now: the count (0 when its buffer is full), or nil after
    /// an error broke the connection.
    @inline(__always)
    private func write(_ bytes: ByteBuffer) -> Int? {
        let n = bytes.withUnsafeReadableBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n >= 0 { return n }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
        broke(errno, "write")
        return nil
    }

    override func close() {
        user = nil
        awaiting = false
        isOpen = false
        if let promise = connecting {
            connecting = nil
            promise.fail(FailureCause.remoteDisconnected)
        }
        closeDescriptor()
    }

    private func closeDescriptor() {
        pending = nil
        if fd >= 0 {
            loop.unregisterAndClose(fd: fd)
            fd = -1
        }
    }

    /// The connection is gone: close the descriptor, then tell the user (as a NIO channel going inactive).
    private func drop() {
        closeDescriptor()
        ended()
    }

    /// An I/O error on an open connection.
    private func broke(_ code: Int32, _ call: String) {
        failed(FailureCause(IOError(errnoCode: code, reason: call), connectTimeout: 0))
        drop()
    }

    // MARK: Events (from the loop)

    /// Handles epoll `events`; `buffer` is the loop's receive buffer.
    @inline(__always)
    func handle(events: UInt32, buffer: inout ByteBuffer) {
        if connecting != nil { return connectEvent() }
        if events & EPOLLOUT.rawValue != 0, pending != nil {
            flush()
            guard fd >= 0 else { return }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readable(&buffer)
        }
    }

    private func connectEvent() {
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 { error = errno }
        let promise = connecting!
        connecting = nil
        if error == 0 {
            loop.modify(fd: fd, token: token, events: EPOLLIN.rawValue)
            promise.succeed(())
        } else {
            isOpen = false
            closeDescriptor()
            promise.fail(IOError(errnoCode: error, reason: "connect"))
        }
    }

    private func flush() {
        guard let rest = pending, let n = write(rest) else { return }
        if n == rest.readableBytes {
            pending = nil
            loop.modify(fd: fd, token: token, events: EPOLLIN.rawValue)
        } else {
            pending!.moveReaderIndex(forwardBy: n)
        }
    }

    private func readable(_ buffer: inout ByteBuffer) {
        while true {
            buffer.clear()
            var error: Int32 = 0
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { space -> Int in
                let r = Glibc.read(fd, space.baseAddress, space.count)
                if r < 0 {
                    error = errno
                    return 0
                }
                return r
            }
            if error != 0 {
                if error == EAGAIN || error == EWOULDBLOCK { return }
                if error == EINTR { continue }
                return broke(error, "read")
            }
            if n == 0 { return drop() }
            guard awaiting else {
                // Bytes nobody asked for: the connection can no longer be trusted.
                isOpen = false
                return drop()
            }
            do {
                guard case .complete = try parser.pointee.feed(&buffer) else {
                    // A full buffer may have more behind it; otherwise wait for the next readable event.
                    if buffer.capacity == n { continue }
                    return
                }
                awaiting = false
                responses += 1
                if buffer.readableBytes > 0 {
                    // The server sent more than one response: deliver this one, drop the connection.
                    isOpen = false
                    user?.responseComplete(self)
                    return drop()
                }
                user?.responseComplete(self)
                return
            } catch {
                failed(FailureCause(error, connectTimeout: 0))
                return drop()
            }
        }
    }
}
#endif
