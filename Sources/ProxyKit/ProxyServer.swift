import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The fault proxy: Toxiproxy's HTTP API on one port, and the TCP proxies it creates, each with its
/// toxics. Start it in process (tests, drills) or through `firedrill proxy`.
///
///     let server = ProxyServer()
///     let port = try await server.start(host: "127.0.0.1", port: 0)   // 0: a free port
///     let client = ProxyClient(baseURL: "http://127.0.0.1:\(port)")
///     …
///     await server.stop()
public final class ProxyServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let registry: ProxyRegistry
    private let logger: Logger
    private let listener = NIOLockedValueBox<Channel?>(nil)

    /// `threads`: event loops shared by the API and every proxied connection (0 or the default: one
    /// per core).
    public init(threads: Int = 0, logger: Logger = Logger(label: "firedrill.proxy")) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads > 0 ? threads : System.coreCount)
        self.logger = logger
        self.registry = ProxyRegistry(group: group, logger: logger)
    }

    /// Starts the API on `host:port` (port 0 picks a free one) and returns the port it listens on.
    public func start(host: String = "127.0.0.1", port: Int = 8474) async throws -> Int {
        let api = ProxyAPI(registry: registry) { [registry] in ProxyMetrics.render(await registry.all) }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(APIHandler(api: api))
                }
            }
            .bind(host: host, port: port).get()
        listener.withLockedValue { $0 = channel }
        let bound = channel.localAddress?.port ?? port
        logger.info("proxy API listening", metadata: ["address": "\(host):\(bound)"])
        return bound
    }

    /// Creates the proxies of a populate document (Toxiproxy's config file: a JSON array of
    /// proxies), as `POST /populate` does.
    @discardableResult
    public func populate(json: Data) async throws -> [ProxySpec] {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: json) } catch { throw ProxyError.badBody("not valid JSON") }
        return try await registry.populate(value).map(\.spec)
    }

    /// Stops the API and every proxy (their connections are closed), then the event loops.
    public func stop() async {
        let channel = listener.withLockedValue { c -> Channel? in defer { c = nil }; return c }
        try? await channel?.close()
        await registry.stopAll()
        try? await group.shutdownGracefully()
    }
}
