import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Opens client connections: cached addresses, TCP_NODELAY, connect timeout, optional TLS.
final class Connector: Sendable {
    let connectTimeout: Double
    private let insecure: Bool
    /// Created on the first https connection (loading the trust roots is not free).
    private let tls = Mutex<NIOSSLContext?>(nil)
    private let addresses = Mutex<[Origin: SocketAddress]>([:])

    init(connectTimeout: Double, insecure: Bool) {
        self.connectTimeout = connectTimeout
        self.insecure = insecure
    }

    private func tlsContext() throws -> NIOSSLContext {
        try tls.withLock { context in
            if let context { return context }
            var config = TLSConfiguration.makeClientConfiguration()
            if insecure { config.certificateVerification = .none }
            config.applicationProtocols = ["http/1.1"]
            let made = try NIOSSLContext(configuration: config)
            context = made
            return made
        }
    }

    /// Remembers the address an origin resolved to, so later connects skip name resolution.
    func remember(_ address: SocketAddress, for origin: Origin) {
        addresses.withLock { $0[origin] = address }
    }

    func cachedAddress(for origin: Origin) -> SocketAddress? {
        addresses.withLock { $0[origin] }
    }

    /// The origin's address: the cached one, else resolved now (getaddrinfo: blocks) and remembered.
    func resolvedAddress(for origin: Origin) throws -> SocketAddress {
        if let cached = cachedAddress(for: origin) { return cached }
        let address = try SocketAddress.makeAddressResolvingHost(origin.host, port: origin.port)
        remember(address, for: origin)
        return address
    }

    /// Connects to `origin` on `loop`, adding `handler` (and TLS in front of it when needed).
    func connect(
        to origin: Origin, on loop: EventLoop, handler: ConnectionHandler
    ) -> EventLoopFuture<Channel> {
        let boxed = NIOLoopBound(handler, eventLoop: loop)
        let tls: NIOSSLContext?
        do {
            tls = origin.tls ? try tlsContext() : nil
        } catch {
            return loop.makeFailedFuture(FailureCause.tls("cannot set up TLS: \(error)"))
        }
        let serverName = Self.isIPAddress(origin.host) ? nil : origin.host
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.nanoseconds(Int64(connectTimeout * 1e9)))
            // Each connection keeps its receive buffer for the next read: start it small (an idle user's
            // largest cost); it doubles whenever a read fills it.
            .channelOption(.recvAllocator, value: Self.receiveBuffers)
            .channelInitializer { channel in
                do {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try sync.addHandler(boxed.value)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        if let address = cachedAddress(for: origin) {
            return bootstrap.connect(to: address)
        }
        return bootstrap.connect(host: origin.host, port: origin.port).map { [self] channel in
            if let remote = channel.remoteAddress { remember(remote, for: origin) }
            return channel
        }
    }

    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
