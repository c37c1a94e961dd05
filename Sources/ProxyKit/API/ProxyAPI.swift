import Foundation

/// Toxiproxy's HTTP API over a `ProxyRegistry`: routes a request to the registry and renders the
/// answer or the refusal in Toxiproxy's JSON shapes. Knows nothing of sockets (the `APIHandler`
/// carries requests to it).
struct ProxyAPI: Sendable {
    struct Response: Sendable {
        var status: Int
        var contentType = "application/json"
        var body: String
    }

    /// The version `/version` reports: Toxiproxy's API level, marked as ours.
    static let version = "2.12.0+firedrill"

    let registry: ProxyRegistry
    let metrics: @Sendable () async -> String

    func handle(method: String, path: String, body: Data, userAgent: String?) async -> Response {
        // Toxiproxy refuses browsers (a web page must not drive the proxy through CSRF).
        if userAgent?.hasPrefix("Mozilla/") == true { return Response(status: 403, contentType: "text/plain; charset=utf-8", body: "User agent not allowed\n") }
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        do {
            return try await route(method, parts, body)
        } catch let error as ProxyError {
            return Self.error(error)
        } catch {
            return Self.error(ProxyError(.failed, "\(error)"))
        }
    }

    private func route(_ method: String, _ parts: [String], _ body: Data) async throws -> Response {
        let update = method == "POST" || method == "PATCH"
        switch (method, parts.count, parts.first) {
        case ("GET", 1, "proxies"):
            let all = await registry.all
            return Self.json(200, .object(Dictionary(uniqueKeysWithValues: all.map { ($0.spec.name, ProxyJSON.proxy($0)) })))
        case ("POST", 1, "proxies"):
            return Self.json(201, ProxyJSON.proxy(try await registry.create(try ProxySpec.parse(try Self.decode(body)))))
        case ("POST", 1, "populate"):
            let proxies = try await registry.populate(try Self.decode(body))
            return Self.json(201, .object(["proxies": .array(proxies.map(ProxyJSON.proxy))]))
        case ("POST", 1, "reset"):
            try await registry.reset()
            return Response(status: 204, body: "")
        case ("GET", 1, "version"):
            return Response(status: 200, contentType: "application/json;charset=utf-8", body: "{\"version\": \"\(Self.version)\"}\n")
        case ("GET", 1, "metrics"):
            return Response(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: await metrics())
        case ("GET", 2, "proxies"):
            return Self.json(200, ProxyJSON.proxy(try await registry.proxy(parts[1])))
        case (_, 2, "proxies") where update:
            return Self.json(200, ProxyJSON.proxy(try await registry.update(parts[1], with: try Self.decode(body))))
        case ("DELETE", 2, "proxies"):
            try await registry.delete(parts[1])
            return Response(status: 204, body: "")
        case ("GET", 3, "proxies") where parts[2] == "toxics":
            return Self.json(200, .array(try await registry.proxy(parts[1]).toxics.map(\.spec.json)))
        case ("POST", 3, "proxies") where parts[2] == "toxics":
            return Self.json(200, try await registry.addToxic(parts[1], try Self.decode(body)).spec.json)
        case ("GET", 4, "proxies") where parts[2] == "toxics":
            guard let toxic = try await registry.proxy(parts[1]).toxics.first(where: { $0.spec.name == parts[3] }) else { throw ProxyError.toxicNotFound }
            return Self.json(200, toxic.spec.json)
        case (_, 4, "proxies") where update && parts[2] == "toxics":
            return Self.json(200, try await registry.updateToxic(parts[1], parts[3], try Self.decode(body)).spec.json)
        case ("DELETE", 4, "proxies") where parts[2] == "toxics":
            try await registry.removeToxic(parts[1], parts[3])
            return Response(status: 204, body: "")
        default:
            if Self.known(parts) { return Self.error(ProxyError(.badRequest, "method \(method) not allowed on /\(parts.joined(separator: "/"))"), status: 405) }
            return Response(status: 404, contentType: "text/plain; charset=utf-8", body: "404 page not found\n")
        }
    }

    private static func known(_ parts: [String]) -> Bool {
        switch (parts.count, parts.first) {
        case (1, "proxies"), (1, "populate"), (1, "reset"), (1, "version"), (1, "metrics"), (2, "proxies"): true
        case (3, "proxies"), (4, "proxies"): parts[2] == "toxics"
        default: false
        }
    }

    private static func decode(_ body: Data) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: body.isEmpty ? Data("null".utf8) : body)
        } catch {
            throw ProxyError.badBody("not valid JSON")
        }
    }

    private static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: status, body: ProxyJSON.encode(value))
    }

    /// Toxiproxy's error shape: `{"error": message, "status": code}`.
    static func error(_ error: ProxyError, status: Int? = nil) -> Response {
        let code = status ?? {
            switch error.kind {
            case .badRequest: 400
            case .notFound: 404
            case .conflict: 409
            case .failed: 500
            }
        }()
        return Response(status: code, body: ProxyJSON.encode(.object(["error": .string(error.message), "status": .int(Int64(code))])) + "\n")
    }
}
