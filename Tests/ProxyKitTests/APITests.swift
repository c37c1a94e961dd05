import Foundation
import ProxyKit
import Testing

/// Toxiproxy's API shapes and refusals, and that a refused change leaves nothing behind.
@Suite struct APITests {
    @Test func createListShowDelete() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy("db")
            let all = try await f.client.proxies()
            #expect(all.keys.sorted() == ["db"])
            let db = try #require(all["db"])
            #expect(db.listen == "127.0.0.1:\(port)")
            #expect(db.upstream == "127.0.0.1:\(f.upstream.port)")
            #expect(db.enabled && db.toxics.isEmpty && db.protocol == "tcp")
            #expect(try await f.client.version().hasPrefix("2."))
            try await f.client.deleteProxy("db")
            #expect(try await f.client.proxies().isEmpty)
        }
    }

    @Test func refusalsUseToxiproxyStatusCodes() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy("db")
            await expectRefusal(409, "proxy already exists") { try await f.proxy("db") }
            await expectRefusal(404, "proxy not found") { try await f.client.deleteProxy("nope") }
            await expectRefusal(400, "name must not contain control characters") {
                try await f.client.createProxy(ProxySpec(name: "a\tb", upstream: "127.0.0.1:1"))
            }
            await expectRefusal(400, "invalid toxic type: 'latncy' (did you mean 'latency'?)") {
                try await f.toxic(on: "db", ["type": "latncy"])
            }
            await expectRefusal(400, "latency.latency must be a whole number, got \"abc\"") {
                try await f.toxic(on: "db", ["type": "latency", "attributes": ["latency": "abc"]])
            }
            await expectRefusal(400, "latency has no attribute 'jiter' (did you mean 'jitter'?)") {
                try await f.toxic(on: "db", ["type": "latency", "attributes": ["jiter": 5]])
            }
            await expectRefusal(400, "stream was invalid, can be either upstream or downstream") {
                try await f.toxic(on: "db", ["type": "latency", "stream": "sideways"])
            }
            await expectRefusal(400, "must be created with \"protocol\": \"http\"") {
                try await f.toxic(on: "db", ["type": "http_status"])
            }
            // Nothing half-created by the refusals above.
            #expect(try await f.client.toxics(of: "db").isEmpty)
            try await f.toxic(on: "db", ["type": "latency", "attributes": ["latency": 10]])
            await expectRefusal(409, "toxic already exists") { try await f.toxic(on: "db", ["type": "latency"]) }
            await expectRefusal(404, "toxic not found") { try await f.client.removeToxic("nope", from: "db") }
            #expect(try await f.client.toxics(of: "db").map(\.name) == ["latency_downstream"])
            // A listen address in use: Toxiproxy's 500 with Go's wording; the proxy is not kept.
            await expectRefusal(500, "listen tcp 127.0.0.1:\(port): bind: address already in use") {
                try await f.client.createProxy(ProxySpec(name: "other", listen: "127.0.0.1:\(port)", upstream: "127.0.0.1:1"))
            }
            #expect(try await f.client.proxies().keys.sorted() == ["db"])
        }
    }

    @Test func toxicShapeDefaultsAndUpdate() async throws {
        try await ProxyFixture.with(.echo) { f in
            _ = try await f.proxy("db")
            let toxic = try await f.toxic(on: "db", ["type": "slicer", "stream": "upstream", "toxicity": 0.5, "attributes": ["average_size": 64]])
            #expect(toxic.name == "slicer_upstream" && toxic.stream == "upstream" && toxic.toxicity == 0.5)
            #expect(toxic.attributes == ["average_size": .int(64), "size_variation": .int(0), "delay": .int(0)])
            let raw = try await rawRequest(f.apiPort, "POST", "/proxies/db/toxics/slicer_upstream", #"{"attributes":{"delay":10}}"#)
            #expect(raw.status == 200 && raw.body.contains(#""delay":10"#) && raw.body.contains(#""average_size":64"#))
            let reset = try await rawRequest(f.apiPort, "POST", "/reset", "")
            #expect(reset.status == 204)
            #expect(try await f.client.toxics(of: "db").isEmpty)
            let error = try await rawRequest(f.apiPort, "GET", "/proxies/nope", "")
            #expect(error.status == 404 && error.body == "{\"error\":\"proxy not found\",\"status\":404}\n")
        }
    }

    @Test func populateCreatesReplacesAndUndoes() async throws {
        try await ProxyFixture.with(.echo) { f in
            let up = "127.0.0.1:\(f.upstream.port)"
            let first = try await rawRequest(f.apiPort, "POST", "/populate", #"[{"name":"a","listen":"127.0.0.1:0","upstream":"\#(up)"},{"name":"b","listen":"127.0.0.1:0","upstream":"\#(up)","enabled":false}]"#)
            #expect(first.status == 201 && first.body.contains(#""proxies":["#))
            let all = try await f.client.proxies()
            #expect(all.keys.sorted() == ["a", "b"] && all["a"]!.enabled && !all["b"]!.enabled)
            // One listen address taken: the whole populate is undone.
            let taken = all["a"]!.listen
            let bad = try await rawRequest(f.apiPort, "POST", "/populate", #"[{"name":"c","listen":"127.0.0.1:0","upstream":"\#(up)"},{"name":"d","listen":"\#(taken)","upstream":"\#(up)"}]"#)
            #expect(bad.status == 500)
            #expect(try await f.client.proxies().keys.sorted() == ["a", "b"])
            let missing = try await rawRequest(f.apiPort, "POST", "/populate", #"[{"name":"e"}]"#)
            #expect(missing.status == 400 && missing.body.contains("missing required field: upstream at proxy 1"))
        }
    }

    @Test func populateThatFailsKeepsTheProxiesItWouldHaveReplaced() async throws {
        try await ProxyFixture.with(.echo) { f in
            let up = "127.0.0.1:\(f.upstream.port)"
            _ = try await f.proxy("a")
            _ = try await f.proxy("b")
            try await f.toxic(on: "a", ["type": "latency", "attributes": ["latency": 1]])
            let before = try await f.client.proxies()
            // "a" would be replaced (new upstream), then "d" fails on b's listen address: nothing changes.
            let bad = try await rawRequest(f.apiPort, "POST", "/populate", #"[{"name":"a","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"},{"name":"d","listen":"\#(before["b"]!.listen)","upstream":"\#(up)"}]"#)
            #expect(bad.status == 500)
            let after = try await f.client.proxies()
            #expect(after.keys.sorted() == ["a", "b"])
            #expect(after["a"]?.upstream == up && after["a"]?.enabled == true && after["a"]?.toxics.count == 1)
            let port = try #require(after["a"]?.port)
            let echoed = try await offload { let s = try TestSocket(port: port); s.send("hi"); return s.receive(exactly: 2).0 }
            #expect(echoed == Array("hi".utf8))
        }
    }

    @Test func hugeLatencyWithJitterHoldsDataWithoutCrashing() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy("p")
            try await f.toxic(on: "p", ["type": "latency", "attributes": ["latency": .int(Int64.max), "jitter": 10]])
            // The echo comes back through the toxic: held, so the read waits out its 1 s timeout.
            let ending = try await offload { () throws -> TestSocket.Ending? in
                let socket = try TestSocket(port: port, timeout: 1)
                socket.send("hello")
                return socket.receive(exactly: 5).1
            }
            #expect(ending == .timeout)
            // The server is still there and answering (before the fix it trapped on Int64 overflow).
            let version = try await rawRequest(f.apiPort, "GET", "/version", "")
            #expect(version.status == 200)
            let toxics = try await rawRequest(f.apiPort, "GET", "/proxies/p/toxics", "")
            #expect(toxics.status == 200 && toxics.body.contains("9223372036854775807"))
        }
    }

    @Test func metricsNameProxiesToxicsAndBytes() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy("db")
            try await f.toxic(on: "db", ["type": "latency", "attributes": ["latency": 1]])
            let socket = try TestSocket(port: port)
            let echoed = try await offload { socket.send("hello"); return socket.receive(exactly: 5).0 }
            #expect(echoed == Array("hello".utf8))
            let text = try await rawRequest(f.apiPort, "GET", "/metrics", "").body
            #expect(text.contains(#"firedrill_proxy_connections{proxy="db"} 1"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="upstream",proxy="db"} 5"#))
            #expect(text.contains(#"firedrill_proxy_toxic_active{proxy="db",toxic="latency_downstream",type="latency"} 1"#))
        }
    }
}

/// Expects a `ProxyClientError` with `status` whose message contains `message`.
func expectRefusal<T>(_ status: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected HTTP \(status) \(message), got success", sourceLocation: sourceLocation)
    } catch let error as ProxyClientError {
        #expect(error.status == status, sourceLocation: sourceLocation)
        #expect(error.message.contains(message), "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

/// One raw HTTP/1.1 exchange with the API, for shapes the typed client hides.
func rawRequest(_ port: Int, _ method: String, _ path: String, _ body: String) async throws -> (status: Int, body: String) {
    let bytes = try await offload {
        let socket = try TestSocket(port: port)
        socket.send("\(method) \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        return socket.receiveAll().0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    let split = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, split)
}
