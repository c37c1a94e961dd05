import Foundation
import ProxyKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `firedrill_proxy_bytes_total` on the data path's fast path (no toxic) and across a connection's
/// life: open connections count their own bytes, a finished connection's bytes stay in the totals.
@Suite struct ByteCountTests {
    @Test func bytesOfOpenAndFinishedConnectionsAreCountedOnce() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy("p")
            let first = try TestSocket(port: port)
            #expect(try await offload { first.send("hello"); return first.receive(exactly: 5).0 } == Array("hello".utf8))
            var text = try await metrics(f)
            #expect(text.contains(#"firedrill_proxy_connections{proxy="p"} 1"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="upstream",proxy="p"} 5"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="downstream",proxy="p"} 5"#))

            shutdown(first.fd, Int32(SHUT_RDWR))
            text = try await metrics(f, until: #"firedrill_proxy_connections{proxy="p"} 0"#)
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="upstream",proxy="p"} 5"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="downstream",proxy="p"} 5"#))

            // A second connection adds to the totals; a toxic added and removed mid-connection (the
            // data path leaves and re-enters its no-toxic fast path) loses no byte from the count.
            let second = try TestSocket(port: port)
            #expect(try await offload { second.send("abc"); return second.receive(exactly: 3).0 } == Array("abc".utf8))
            try await f.toxic(on: "p", ["type": "latency", "attributes": ["latency": 1]])
            #expect(try await offload { second.send("defg"); return second.receive(exactly: 4).0 } == Array("defg".utf8))
            try await f.client.removeToxic("latency_downstream", from: "p")
            #expect(try await offload { second.send("hi"); return second.receive(exactly: 2).0 } == Array("hi".utf8))
            text = try await metrics(f)
            #expect(text.contains(#"firedrill_proxy_connections{proxy="p"} 1"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="upstream",proxy="p"} 14"#))
            #expect(text.contains(#"firedrill_proxy_bytes_total{direction="downstream",proxy="p"} 14"#))
        }
    }

    /// `/metrics`; with `until`, asked again (at most 100 times) until it contains that line.
    private func metrics(_ f: ProxyFixture, until line: String? = nil) async throws -> String {
        var text = ""
        for _ in 0..<100 {
            text = try await rawRequest(f.apiPort, "GET", "/metrics", "").body
            guard let line, !text.contains(line) else { return text }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("/metrics never showed \(line ?? ""):\n\(text)")
        return text
    }
}
