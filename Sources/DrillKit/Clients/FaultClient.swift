import Foundation
import NIOHTTP1

/// Drives csv-analyzer's token-protected fault API (`/admin/faults`) from the harness.
public struct FaultClient: Sendable {
    /// The service's base URL, e.g. `http://127.0.0.1:8000`.
    public let target: String
    public let token: String
    /// Per-call deadline (an unreachable target is retried until then).
    public let timeout: Duration

    public init(target: String, token: String, timeout: Duration = .seconds(15)) {
        self.target = target.hasSuffix("/") ? String(target.dropLast()) : target
        self.token = token
        self.timeout = timeout
    }

    /// A fault as the service reports it (`id`, `type`, `expires_at`, …), kept as JSON.
    public typealias Fault = [String: JSONScalar]

    /// The active faults.
    public func list() async throws -> [Fault] {
        let object = try await send(.GET, "/admin/faults")
        return try Self.faults(object["faults"])
    }

    /// Injects a fault; `fields` are the API's (`type`, `probability`, `route`, `latency_ms`, `ttl`, …).
    public func set(_ fields: [String: JSONScalar]) async throws -> Fault {
        try Self.fault(try await send(.POST, "/admin/faults", body: fields))
    }

    /// Clears one fault, or every fault when `id` is nil.
    public func clear(id: String? = nil) async throws {
        _ = try await send(.DELETE, "/admin/faults" + (id.map { "/" + $0 } ?? ""))
    }

    private func send(_ method: HTTPMethod, _ path: String, body: [String: JSONScalar]? = nil) async throws -> [String: Any] {
        try await ServiceClient(baseURL: target, token: token, timeout: timeout).expectOK(method, path, json: body?.mapValues(\.any))
    }

    static func faults(_ value: Any?) throws -> [Fault] {
        try (value as? [Any] ?? []).map { try fault($0 as? [String: Any] ?? [:]) }
    }

    static func fault(_ object: [String: Any]) throws -> Fault {
        object.compactMapValues(JSONScalar.init)
    }
}
