import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// HTTP over the unix sockets between the supervisor and its workers.
enum UnixHTTP {
    struct Reply: Sendable {
        var status: Int
        var contentType: String?
        /// A 405's `Allow`, relayed with it.
        var allow: String? = nil
        var body: ByteBuffer
    }

    /// Sends one request to `socket` and collects the reply (at most 64 MiB).
    static func send(
        socket: String, method: HTTPMethod = .GET, path: String, headers: [(String, String)] = [],
        body: ByteBuffer? = nil, timeout: Duration = .seconds(10)
    ) async throws -> Reply {
        guard let url = URL(httpURLWithSocketPath: socket, uri: path) else {
            throw AnalyzerError(.failed, code: "internal_error", "bad control socket path \(socket)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .init(timeout))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(
            status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
            allow: response.headers.first(name: "allow"), body: collected)
    }

    static func json(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
