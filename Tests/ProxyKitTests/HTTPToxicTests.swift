import Foundation
import ProxyKit
import Testing

/// The HTTP toxics, on keep-alive connections: every request of a connection is matched.
@Suite(.serialized) struct HTTPToxicTests {
    @Test func httpStatusAnswersMatchingRequestsOnly() async throws {
        try await ProxyFixture.with(.http) { f in
            let port = try await f.proxy("web", protocol: .http)
            try await f.toxic(on: "web", ["type": "http_status", "attributes": ["status": 503, "method": "GET", "path": "/api/{id}/predict", "body": "down"]])
            let (hit, miss, again) = try await offload {
                let socket = try TestSocket(port: port)
                return (socket.get("/api/7/predict?x=1"), socket.get("/api/7/train"), socket.get("/api/8/predict"))
            }
            #expect(hit.status == 503 && hit.body == "down")
            #expect(miss.status == 200 && miss.body == "ok:/api/7/train")
            #expect(again.status == 503)
        }
    }

    @Test func httpStatusProbabilityHitsAboutHalf() async throws {
        try await ProxyFixture.with(.http) { f in
            let port = try await f.proxy("web", protocol: .http)
            try await f.toxic(on: "web", ["type": "http_status", "toxicity": 0.5, "attributes": ["status": 500]])
            let statuses = try await offload {
                let socket = try TestSocket(port: port)
                return (0..<200).map { socket.get("/r\($0)").status }
            }
            let failed = statuses.filter { $0 == 500 }.count
            let others = statuses.filter { $0 != 500 && $0 != 200 }
            #expect(others.isEmpty)
            #expect((65...135).contains(failed), "\(failed) of 200 failed")
        }
    }

    @Test func failFirstFailsTheFirstNThenPasses() async throws {
        try await ProxyFixture.with(.http) { f in
            let port = try await f.proxy("web", protocol: .http)
            try await f.toxic(on: "web", ["type": "fail_first", "attributes": ["requests": 2, "status": 502, "path": "/pay"]])
            let statuses = try await offload {
                let socket = try TestSocket(port: port)
                // The last on a new connection: the count is the proxy's, not the connection's.
                return ["/other", "/pay", "/pay", "/pay"].map { socket.get($0).status } + [try TestSocket(port: port).get("/pay").status]
            }
            #expect(statuses == [200, 502, 502, 200, 200])
        }
    }

    @Test func httpLatencyDelaysMatchingRoutes() async throws {
        try await ProxyFixture.with(.http) { f in
            let port = try await f.proxy("web", protocol: .http)
            try await f.toxic(on: "web", ["type": "http_latency", "attributes": ["latency": 300, "path": "/slow/**"]])
            let (slow, slowTime, fast, fastTime) = try await offload {
                let socket = try TestSocket(port: port)
                var start = now()
                let slow = socket.get("/slow/a/b")
                let slowTime = now() - start
                start = now()
                let fast = socket.get("/fast")
                return (slow.status, slowTime, fast.body, now() - start)
            }
            #expect(slow == 200 && slowTime >= 0.28)
            #expect(fast == "ok:/fast" && fastTime < 0.2)
        }
    }

    @Test func httpAbortClosesMidBody() async throws {
        try await ProxyFixture.with(.http) { f in
            let port = try await f.proxy("web", protocol: .http)
            try await f.toxic(on: "web", ["type": "http_abort", "attributes": ["path": "/big"]])
            let (small, cut) = try await offload {
                let socket = try TestSocket(port: port)
                return (socket.get("/small").status, socket.get("/big"))
            }
            #expect(small == 200)
            #expect(cut.status == 200 && cut.body.count == 5_000 && cut.ending == .eof)
        }
    }
}
