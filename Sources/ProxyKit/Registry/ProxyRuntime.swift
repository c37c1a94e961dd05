import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One proxy at run time: its listening channel, its open connections, its toxics and its counters.
/// Changed only by the `ProxyRegistry` (one change at a time); the lock guards what the data path
/// reads from other threads (the toxics, the connection set, the counters).
final class ProxyRuntime: @unchecked Sendable {
    private struct State {
        var spec: ProxySpec
        var listener: Channel?
        var connections: [ObjectIdentifier: ProxyConnection] = [:]
        var toxics: [ActiveToxic] = []
        /// Bytes written by connections that have finished (open ones keep their own counts).
        var bytesUp: Int64 = 0
        var bytesDown: Int64 = 0
    }

    private let state: NIOLockedValueBox<State>
    private let group: EventLoopGroup
    private let logger: Logger

    init(spec: ProxySpec, group: EventLoopGroup, logger: Logger) {
        var spec = spec
        spec.enabled = false
        self.state = NIOLockedValueBox(State(spec: spec))
        self.group = group
        self.logger = logger
    }

    var spec: ProxySpec { state.withLockedValue { $0.spec } }
    var toxics: [ActiveToxic] { state.withLockedValue { $0.toxics } }

    /// Open connections and bytes written each way, for `/metrics`.
    var counters: (connections: Int, up: Int64, down: Int64) {
        state.withLockedValue { s in
            var (up, down) = (s.bytesUp, s.bytesDown)
            for connection in s.connections.values {
                let open = connection.written.values
                up += open.up
                down += open.down
            }
            return (s.connections.count, up, down)
        }
    }

    /// Changes listen/upstream/protocol while stopped.
    func respec(_ spec: ProxySpec) {
        state.withLockedValue {
            $0.spec.listen = spec.listen
            $0.spec.upstream = spec.upstream
            $0.spec.protocol = spec.protocol
        }
    }

    // MARK: listening

    /// Binds the listen address and accepts; the spec's `listen` then shows the real port.
    func start() async throws {
        let spec = self.spec
        guard !spec.enabled else { return }
        let address = try HostPort(spec.listen, field: "listen")
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.accept(channel) }
            }
        let listener: Channel
        do {
            listener = try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch {
            // Toxiproxy reports the operating system's refusal with Go's wording and status 500.
            throw ProxyError(.failed, "listen tcp \(spec.listen): bind: \(Self.reason(error))")
        }
        let shown = listener.localAddress.map(Self.format) ?? spec.listen
        state.withLockedValue {
            $0.listener = listener
            $0.spec.listen = shown
            $0.spec.enabled = true
        }
        logger.info("proxy started", metadata: ["proxy": "\(spec.name)", "listen": "\(shown)", "upstream": "\(spec.upstream)"])
    }

    /// Stops listening and closes every open connection.
    func stop() async {
        let (listener, connections) = state.withLockedValue { s -> (Channel?, [ProxyConnection]) in
            defer { s.listener = nil; s.spec.enabled = false }
            return (s.listener, Array(s.connections.values))
        }
        try? await listener?.close()
        for connection in connections {
            try? await connection.eventLoop.submit { connection.closeNow() }.get()
        }
        if listener != nil { logger.info("proxy stopped", metadata: ["proxy": "\(spec.name)"]) }
    }

    // MARK: toxics

    /// Adds a toxic; it applies to every open connection too.
    func add(_ toxic: ActiveToxic) async {
        let connections = state.withLockedValue { s -> [ProxyConnection] in
            s.toxics.append(toxic)
            return Array(s.connections.values)
        }
        for connection in connections { connection.eventLoop.execute { connection.add(toxic) } }
    }

    /// Removes a toxic from the proxy and from every open connection.
    func remove(_ name: String) async {
        let connections = state.withLockedValue { s -> [ProxyConnection] in
            s.toxics.removeAll { $0.spec.name == name }
            return Array(s.connections.values)
        }
        for connection in connections {
            try? await connection.eventLoop.submit { connection.remove(name) }.get()
        }
    }

    // MARK: connections

    private func accept(_ client: Channel) throws {
        let connection = ProxyConnection(client: client, runtime: self)
        try client.pipeline.syncOperations.addHandler(LinkHandler(side: .client, connection: connection))
        let (spec, toxics) = state.withLockedValue { s -> (ProxySpec, [ActiveToxic]) in
            s.connections[ObjectIdentifier(connection)] = connection
            return (s.spec, s.toxics)
        }
        guard let upstream = try? HostPort(spec.upstream, field: "upstream") else { client.close(promise: nil); return }
        connection.openUpstream = { [logger] connection in
            ClientBootstrap(group: connection.eventLoop)
                .channelOption(.autoRead, value: false)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LinkHandler(side: .upstream, connection: connection))
                    }
                }
                .connect(host: upstream.host, port: upstream.port)
                .whenComplete { result in
                    switch result {
                    case .success(let channel):
                        connection.connected(channel, toxics: toxics, http: spec.protocol == .http)
                    case .failure(let error):
                        logger.warning("unable to open connection to upstream", metadata: ["proxy": "\(spec.name)", "upstream": "\(spec.upstream)", "error": "\(error)"])
                        connection.closeNow()
                    }
                }
        }
    }

    /// A connection is done: its byte counts join the proxy's totals (in one step with leaving
    /// the set, so `/metrics` never counts them twice or not at all).
    func connectionFinished(_ connection: ProxyConnection) {
        state.withLockedValue { s in
            guard s.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
            let done = connection.written.values
            s.bytesUp += done.up
            s.bytesDown += done.down
        }
    }

    // MARK: formatting

    static func format(_ address: SocketAddress) -> String {
        switch address {
        case .v6: "[\(address.ipAddress ?? "::")]:\(address.port ?? 0)"
        default: "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
    }

    private static func reason(_ error: Error) -> String {
        let text = "\(error)".lowercased()
        if text.contains("address already in use") { return "address already in use" }
        if text.contains("cannot assign requested address") { return "cannot assign requested address" }
        if text.contains("permission denied") { return "permission denied" }
        return "\(error)"
    }
}
