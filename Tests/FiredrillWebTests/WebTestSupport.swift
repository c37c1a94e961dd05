import AsyncHTTPClient
import Foundation
import Hummingbird
import LoadKit
import NIOHTTP1
import Logging
import NIOCore
import Synchronization
@testable import FiredrillWeb

/// A target service on 127.0.0.1 that counts what it serves, and a web UI in front of a ``LoadController``.
struct WebFixture {
    let target: WebServer
    let counter: Counter
    let ui: WebServer
    let controller: LoadController

    var targetURL: String { "http://127.0.0.1:\(target.port)" }
    var uiURL: String { "http://127.0.0.1:\(ui.port)" }
    var hits: Int { counter.hits.withLock { $0 } }

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts both; `plan` builds the scenario from the target's URL.
    static func start(
        credentials: (user: String, password: String)? = nil, plan: (String) throws -> LoadPlan = Self.singleURL
    ) async throws -> WebFixture {
        let targetRouter = Router()
        let counter = Counter()
        targetRouter.get("/") { _, _ in
            counter.bump()
            return "ok"
        }
        // Slow and failing: with few users it makes the open model drop iterations, and every answer is an error.
        targetRouter.get("/slow-error") { _, _ -> Response in
            counter.bump()
            try await Task.sleep(for: .milliseconds(100))
            return Response(status: .internalServerError)
        }
        let target = try await WebServer.start(settings: WebSettings(port: 0), router: targetRouter, closing: WebClosing(), logger: quiet)
        let controller = LoadController(plan: try plan("http://127.0.0.1:\(target.port)/"))
        let ui = try await LoadWebUI.start(
            controller: controller, settings: WebSettings(port: 0, credentials: credentials), logger: quiet)
        return WebFixture(target: target, counter: counter, ui: ui, controller: controller)
    }

    /// One user class on `url`. Requests in flight at a /stop finish (stop_timeout 30 s): cut off, they
    /// would count as failures, and as requests the target may or may not have served.
    static func singleURL(_ url: String) throws -> LoadPlan {
        var plan = try LoadPlan.single(url: url, wait: .constant(0.01), load: .closed(users: 1, spawnRate: 1, runTime: nil))
        plan.stopTimeout = 30
        return plan
    }

    /// Stops the test (at once) and both servers.
    func stop() async {
        controller.stop()
        controller.stop()
        if controller.run != nil { _ = await controller.waitForFinish() }
        await ui.stop()
        await target.stop()
    }

    // MARK: HTTP

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    func get(_ path: String, auth: String? = nil) async throws -> Answer {
        try await send(path, method: .GET, body: nil, auth: auth)
    }

    func post(_ path: String, form: [String: String] = [:], auth: String? = nil) async throws -> Answer {
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }
            .joined(separator: "&")
        return try await send(path, method: .POST, body: body, auth: auth)
    }

    private func send(_ path: String, method: HTTPMethod, body: String?, auth: String?) async throws -> Answer {
        try await Self.fetch(uiURL + path, method: method, body: body, auth: auth)
    }

    /// One request to `url`; `body` is sent as a urlencoded form.
    static func fetch(_ url: String, method: HTTPMethod = .GET, body: String? = nil, auth: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        if let auth { request.headers.add(name: "Authorization", value: "Basic " + Data(auth.utf8).base64EncodedString()) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: bytes))
    }

    /// `/stats/requests`' Aggregated row and top-level fields.
    func stats() async throws -> (state: String, users: Int, requests: Int, json: [String: Any]) {
        let json = try await get("/stats/requests").json
        let rows = json["stats"] as? [[String: Any]] ?? []
        let total = rows.last ?? [:]
        return (json["state"] as? String ?? "", json["user_count"] as? Int ?? -1, total["num_requests"] as? Int ?? -1, json)
    }
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Requests the target served.
final class Counter: Sendable {
    let hits = Mutex(0)
    func bump() { hits.withLock { $0 += 1 } }
}
