import FiredrillSupport
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 server that exposes a run's live statistics as Prometheus metrics
/// (`firedrill load --metrics-port`).
///
/// `GET /metrics` answers with ``PrometheusText/render(_:)`` of the latest snapshot; any other path
/// is 404 (405 for other methods on `/metrics`). It runs on its own event-loop thread, so scrapes never
/// touch the load's event loops.
///
/// ```swift
/// let run = try LoadRun(plan: plan)
/// let exporter = try await MetricsExporter.start(port: 9646) { run.snapshot }
/// print("metrics on \(exporter.url)")
/// let summary = try await run.run()
/// await exporter.stop()
/// ```
public final class MetricsExporter: Sendable {
    /// The default port (`--metrics-port 9646` is what the compose stack's Prometheus scrapes).
    public static let defaultPort = 9646

    /// The address the server listens on.
    public let host: String
    /// The port it listens on (the one the system picked when started with port 0).
    public let port: Int

    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel

    private init(host: String, port: Int, group: MultiThreadedEventLoopGroup, channel: Channel) {
        self.host = host
        self.port = port
        self.group = group
        self.channel = channel
    }

    /// The scrape URL, e.g. `http://127.0.0.1:9646/metrics`.
    public var url: String { URLText.http(host: host, port: port, path: "/metrics") }

    /// Listens on `host:port` (port 0 picks a free one) and serves `snapshot()` on every scrape.
    ///
    /// - Parameters:
    ///   - host: the address to bind, `127.0.0.1` by default (use `0.0.0.0` in a container).
    ///   - port: the TCP port; 0 lets the system choose (read it back from ``port``).
    ///   - snapshot: returns the latest statistics; called on the exporter's thread for each scrape.
    /// - Throws: when the address cannot be bound (in use, not local, bad host).
    public static func start(
        host: String = "127.0.0.1", port: Int, snapshot: @escaping @Sendable () -> StatsSnapshot
    ) async throws -> MetricsExporter {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 64)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(snapshot: snapshot))
                    }
                }
                .bind(host: host, port: port).get()
            let bound = channel.localAddress?.port ?? port
            return MetricsExporter(host: host, port: bound, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Convenience: serves `run`'s live ``LoadRun/snapshot``.
    public static func start(host: String = "127.0.0.1", port: Int, run: LoadRun) async throws -> MetricsExporter {
        try await start(host: host, port: port) { run.snapshot }
    }

    /// Stops listening and closes open scrape connections.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
