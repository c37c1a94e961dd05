import Foundation
import NIOHTTP1
import Testing
@testable import FiredrillWeb

/// A wrong method or an unknown path of `firedrill load --web` was an empty 404. As Locust (and
/// csv-analyzer) answer: a known path with another method is 405 with `Allow`, an unknown path a
/// JSON 404 naming it, and HEAD answers like GET without a body.
@Suite("Web UI unmatched routes", .serialized)
struct WebRoutingTests {
    @Test("an unknown path is a JSON 404 naming it")
    func unknownPathIs404() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        let answer = try await f.get("/stats/nope")
        #expect(answer.status == 404)
        let error = answer.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "route_not_found", "\(answer.body)")
        #expect((error?["message"] as? String)?.contains("/stats/nope") == true, "\(answer.body)")
        #expect(answer.json["success"] as? Bool == false)
    }

    @Test("a method the path does not take is 405 with Allow and a JSON error", arguments: [
        (HTTPMethod.GET, "/swarm", "POST"),
        (.PUT, "/stats/requests", "GET, HEAD"),
        (.DELETE, "/stop", "GET, HEAD, POST"),
        (.POST, "/style.css", "GET, HEAD"),
    ])
    func wrongMethodIs405(method: HTTPMethod, path: String, allow: String) async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        let answer = try await WebFixture.fetch(f.uiURL + path, method: method)
        #expect(answer.status == 405, "\(method) \(path): \(answer.status) \(answer.body)")
        #expect(answer.header("Allow") == allow, "\(method) \(path): \(answer.headers)")
        let error = answer.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "method_not_allowed", "\(answer.body)")
        #expect((error?["message"] as? String)?.contains(allow) == true, "\(answer.body)")
        // Nothing was started or stopped by it.
        #expect(try await f.stats().state == "ready")
    }

    @Test("HEAD answers like GET, without a body")
    func headIsGetWithoutBody() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        let answer = try await WebFixture.fetch(f.uiURL + "/stats/requests", method: .HEAD)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json")
        #expect(answer.body.isEmpty)
    }
}
