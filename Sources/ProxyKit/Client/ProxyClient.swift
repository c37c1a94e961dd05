import AsyncHTTPClient
import FiredrillSupport
import Foundation
import NIOCore
import NIOHTTP1

/// A client of the proxy API (ours or Toxiproxy's): create proxies, add and remove toxics (with a
/// TTL), reset, list. Refusals throw `ProxyClientError` with the server's status and message.
public struct ProxyClient: Sendable {
    /// The API's base URL, e.g. `http://127.0.0.1:8474`.
    public let baseURL: String
    /// Per-call deadline.
    public let timeout: Duration

    public init(baseURL: String = "http://127.0.0.1:8474", timeout: Duration = .seconds(15)) {
        self.baseURL = URLText.base(baseURL)
        self.timeout = timeout
    }

    /// Every proxy, by name.
    public func proxies() async throws -> [String: ProxyInfo] {
        try await send(.GET, "/proxies", as: [String: ProxyInfo].self)
    }

    /// One proxy.
    public func proxy(_ name: String) async throws -> ProxyInfo {
        try await send(.GET, "/proxies/\(escape(name))", as: ProxyInfo.self)
    }

    /// Creates a proxy; `listen` with port 0 picks a free port (the answer shows it).
    @discardableResult
    public func createProxy(_ spec: ProxySpec) async throws -> ProxyInfo {
        try await send(.POST, "/proxies", json: .object([
            "name": .string(spec.name), "listen": .string(spec.listen), "upstream": .string(spec.upstream),
            "enabled": .bool(spec.enabled), "protocol": .string(spec.protocol.rawValue),
        ]), as: ProxyInfo.self)
    }

    /// Enables or disables a proxy (disabling closes its connections).
    @discardableResult
    public func setEnabled(_ name: String, _ enabled: Bool) async throws -> ProxyInfo {
        try await send(.POST, "/proxies/\(escape(name))", json: .object(["enabled": .bool(enabled)]), as: ProxyInfo.self)
    }

    /// Deletes a proxy.
    public func deleteProxy(_ name: String) async throws {
        _ = try await send(.DELETE, "/proxies/\(escape(name))")
    }

    /// Adds a toxic to a proxy (it applies to open connections too).
    @discardableResult
    public func addToxic(_ toxic: ToxicSpec, to proxy: String) async throws -> ToxicInfo {
        try await send(.POST, "/proxies/\(escape(proxy))/toxics", json: toxic.json, as: ToxicInfo.self)
    }

    /// Adds a toxic from its API fields (`type`, `stream`, `toxicity`, `attributes`, `ttl`, `name`).
    @discardableResult
    public func addToxic(json: JSONValue, to proxy: String) async throws -> ToxicInfo {
        try await send(.POST, "/proxies/\(escape(proxy))/toxics", json: json, as: ToxicInfo.self)
    }

    /// Removes a toxic.
    public func removeToxic(_ name: String, from proxy: String) async throws {
        _ = try await send(.DELETE, "/proxies/\(escape(proxy))/toxics/\(escape(name))")
    }

    /// The toxics of a proxy.
    public func toxics(of proxy: String) async throws -> [ToxicInfo] {
        try await send(.GET, "/proxies/\(escape(proxy))/toxics", as: [ToxicInfo].self)
    }

    /// Enables every proxy and removes every toxic.
    public func reset() async throws {
        _ = try await send(.POST, "/reset")
    }

    /// The server's version string.
    public func version() async throws -> String {
        let data = try await send(.GET, "/version")
        return (try? JSONDecoder().decode([String: String].self, from: data))?["version"] ?? String(decoding: data, as: UTF8.self)
    }

    // MARK: transport

    private func send<T: Decodable>(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, as: T.Type) async throws -> T {
        let data = try await send(method, path, json: json)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ProxyClientError(status: 0, message: "\(method) \(baseURL)\(path): unexpected answer: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: ProxyJSON.encode(json)))
        }
        let response: HTTPClientResponse
        let (seconds, attoseconds) = timeout.components
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        } catch {
            throw ProxyClientError(status: 0, message: "cannot reach the proxy API at \(baseURL): \(error)")
        }
        let data = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let message = (try? JSONDecoder().decode(JSONValue.self, from: data))?["error"]?.stringValue
                ?? String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProxyClientError(status: status, message: message)
        }
        return data
    }

    private func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}

/// A refusal of the proxy API (`status` 0: the API could not be reached or answered nonsense).
public struct ProxyClientError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public var description: String { status == 0 ? message : "HTTP \(status): \(message)" }
}
