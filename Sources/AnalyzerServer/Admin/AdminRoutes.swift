import AnalyzerAPI
import Foundation
import Hummingbird

/// The token-protected admin API: faults, memory attribution, the worker pool.
/// Off (404) unless a token is configured; a wrong or missing token gets 401 and changes nothing.
struct AdminRoutes {
    let backend: any AdminBackend
    let token: String?

    func register(on router: Router<BasicRequestContext>) {
        let admin = router.group("admin")
        admin.get("faults") { request, _ in
            try authorize(request)
            return try Responses.json(FaultList(faults: try await backend.faults()))
        }
        admin.post("faults") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024, flag: nil)
            let fault = try FaultSpec.decode(Data(buffer: body)).makeFault(id: Identifiers.make("f"))
            try FaultRoutes.check(fault.route)
            try await backend.addFault(fault)
            return try Responses.json(fault, status: .created)
        }
        admin.delete("faults") { request, _ in
            try authorize(request)
            try await backend.clearFaults()
            return Responses.noContent()
        }
        admin.delete("faults/{id}") { request, context in
            try authorize(request)
            let id = try context.parameters.require("id")
            guard try await backend.removeFault(id: id) else { throw AnalyzerError.notFound("fault", id) }
            return Responses.noContent()
        }
        admin.get("memory") { request, _ in
            try authorize(request)
            return try Responses.json(MemoryReport(workers: try await backend.memory()))
        }
        admin.get("workers") { request, _ in
            try authorize(request)
            return try Responses.json(try await backend.workers())
        }
        admin.post("workers") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024, flag: nil)
            let scale = try WorkersRequest.decode(Data(buffer: body))
            return try Responses.json(
                try await backend.scale(to: scale.count, maxRequests: scale.maxRequests, jitter: scale.maxRequestsJitter))
        }
        admin.post("workers/restart") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024, flag: nil)
            let restart = try RestartRequest.decode(Data(buffer: body))
            return try Responses.json(try await backend.rollingRestart(featuresImplementation: restart.featuresImpl))
        }
    }

    /// Checks `Authorization: Bearer TOKEN` in constant time.
    private func authorize(_ request: Request) throws {
        guard let token else {
            throw APIError(.notFound, code: "admin_disabled", "the admin API is off; start the service with --admin-token (or CSV_ANALYZER_ADMIN_TOKEN)")
        }
        let header = request.headers[.authorization] ?? ""
        let presented = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard Self.constantTimeEquals(presented, token) else {
            throw APIError(.unauthorized, code: "unauthorized", "missing or wrong bearer token for the admin API")
        }
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }
}
