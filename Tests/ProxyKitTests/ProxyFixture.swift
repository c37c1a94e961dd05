import NIOCore
import NIOPosix
import ProxyKit

/// A proxy server in process on a free port, its client, and one upstream; always stopped.
struct ProxyFixture {
    let server: ProxyServer
    let client: ProxyClient
    let upstream: TestUpstream
    let apiPort: Int

    /// Creates proxy `name` → the upstream, listening on a free port; returns that port.
    func proxy(_ name: String = "p", protocol proto: ProxyProtocol = .tcp) async throws -> Int {
        let info = try await client.createProxy(ProxySpec(name: name, upstream: "127.0.0.1:\(upstream.port)", protocol: proto))
        return info.port!
    }

    /// Adds a toxic from JSON fields.
    @discardableResult
    func toxic(on proxy: String = "p", _ fields: [String: JSONValue]) async throws -> ToxicInfo {
        try await client.addToxic(json: .object(fields), to: proxy)
    }

    static func with<T>(_ mode: TestUpstream.Mode, _ body: (ProxyFixture) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream(mode, group: group)
        let server = ProxyServer(threads: 2)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let fixture = ProxyFixture(server: server, client: ProxyClient(baseURL: "http://127.0.0.1:\(port)"), upstream: upstream, apiPort: port)
        do {
            let result = try await body(fixture)
            await server.stop()
            await upstream.stop()
            try? await group.shutdownGracefully()
            return result
        } catch {
            await server.stop()
            await upstream.stop()
            try? await group.shutdownGracefully()
            throw error
        }
    }
}
