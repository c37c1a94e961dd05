import AnalyzerAPI
import FiredrillSupport
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
        self.target = URLText.base(target)
        self.token = token
        self.timeout = timeout
    }

    /// The active faults.
    public func list() async throws -> [ActiveFault] {
        try await client.expectOK(.GET, "/admin/faults", as: FaultList.self).faults
    }

    /// Injects a fault (validated here first, by the service's own rules).
    /// - Throws: `ControlError` naming the field the service would refuse, or the service's answer.
    public func set(_ spec: FaultSpec) async throws -> ActiveFault {
        do { try spec.validate() } catch { throw ControlError(message: "fault: \(error.message)") }
        return try await client.expectOK(.POST, "/admin/faults", json: spec, as: ActiveFault.self)
    }

    /// Clears one fault, or every fault when `id` is nil.
    public func clear(id: String? = nil) async throws {
        try await client.expectOK(.DELETE, "/admin/faults" + (id.map { "/" + $0 } ?? ""))
    }

    private var client: ServiceClient { ServiceClient(baseURL: target, token: token, timeout: timeout) }
}
