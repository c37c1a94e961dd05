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
            return try Responses.json(["faults": try await backend.faults()])
        }
        admin.post("faults") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let fault = try FaultRequest.decode(Data(buffer: body)).fault()
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
            guard try await backend.removeFault(id: id) else { throw APIError.notFound("fault", id) }
            return Responses.noContent()
        }
        admin.get("memory") { request, _ in
            try authorize(request)
            return try Responses.json(["workers": try await backend.memory()])
        }
        admin.get("workers") { request, _ in
            try authorize(request)
            return try Responses.json(try await backend.workers())
        }
        admin.post("workers") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            if let unknown = object.keys.sorted().first(where: { !["count", "max_requests", "max_requests_jitter"].contains($0) }) {
                throw APIError.unprocessable("unknown_field", "unknown field '\(unknown)'; expected count, max_requests, max_requests_jitter")
            }
            let count = try Self.integer(object["count"], "count", 1...64)
            let maxRequests = try Self.integer(object["max_requests"], "max_requests", 0...100_000_000)
            let jitter = try Self.integer(object["max_requests_jitter"], "max_requests_jitter", 0...100_000_000)
            guard count != nil || maxRequests != nil else {
                throw APIError.unprocessable("missing_field", "send 'count' (1…64) and/or 'max_requests' (with optional 'max_requests_jitter')")
            }
            return try Responses.json(try await backend.scale(to: count, maxRequests: maxRequests, jitter: jitter))
        }
        admin.post("workers/restart") { request, _ in
            try authorize(request)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            var implementation: FeaturesImplementation?
            if let value = object["features_impl"] {
                guard let text = value as? String, let impl = FeaturesImplementation(rawValue: text) else {
                    throw APIError.unprocessable("invalid_field", "field 'features_impl' must be 'legacy' or 'patched'")
                }
                implementation = impl
            }
            return try Responses.json(try await backend.rollingRestart(featuresImplementation: implementation))
        }
    }

    private static func integer(_ value: Any?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard let number = value as? Int, range.contains(number) else {
            throw APIError.unprocessable("invalid_field", "field '\(name)' must be an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return number
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
