import Foundation
import ProxyKit
import Testing

/// Each TCP toxic measured from a real client's side. Serialized: the timed ones must not share the
/// two cores with each other. Blocking socket work runs through `offload`.
@Suite(.serialized) struct TCPToxicTests {
    @Test func latencyAddsItsValueToTheMedian() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            @Sendable func median(_ port: Int) throws -> Double {
                let socket = try TestSocket(port: port)
                var samples: [Double] = []
                for _ in 0..<200 {
                    let start = now()
                    socket.send("ping")
                    _ = socket.receive(exactly: 4)
                    samples.append(now() - start)
                }
                return samples.sorted()[100]
            }
            let upstream = f.upstream.port
            let direct = try await offload { try median(upstream) }
            try await f.toxic(["type": "latency", "attributes": ["latency": 25]])
            let proxied = try await offload { try median(port) }
            #expect(abs((proxied - direct) * 1000 - 25) <= 10, "added \((proxied - direct) * 1000) ms")
        }
    }

    @Test func bandwidthHoldsTheRate() async throws {
        try await ProxyFixture.with(.blast(400_000)) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "bandwidth", "attributes": ["rate": 400]])  // 400 KB/s → 1 s
            let (count, ending, seconds) = try await offload {
                let socket = try TestSocket(port: port)
                let start = now()
                let (bytes, ending) = socket.receiveAll()
                return (bytes.count, ending, now() - start)
            }
            #expect(count == 400_000 && ending == .eof)
            #expect(abs(seconds - 1.0) <= 0.1, "took \(seconds) s")
        }
    }

    @Test func resetPeerIsSeenAsConnectionReset() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "reset_peer", "attributes": ["timeout": 100]])
            let (echoed, ending) = try await offload { () -> ([UInt8], TestSocket.Ending?) in
                let socket = try TestSocket(port: port)
                socket.send("a")
                let echoed = socket.receive(exactly: 1).0
                usleep(300_000)
                guard case .failure(let failure) = socket.receive() else { return (echoed, nil) }
                return (echoed, failure.ending)
            }
            #expect(echoed == Array("a".utf8))
            #expect(ending == .reset)
        }
    }

    @Test func timeoutHoldsThenCloses() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "timeout", "attributes": ["timeout": 500]])
            let (bytes, ending, held) = try await offload {
                let socket = try TestSocket(port: port)
                let start = now()
                socket.send("hello")
                let (bytes, ending) = socket.receiveAll()
                return (bytes, ending, now() - start)
            }
            #expect(bytes.isEmpty && ending == .eof)
            #expect(held >= 0.45 && held < 3, "held \(held) s")
        }
    }

    @Test func timeoutZeroHoldsUntilRemoved() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "timeout", "attributes": ["timeout": 0]])
            let socket = try TestSocket(port: port, timeout: 0.5)
            let first = try await offload { () -> TestSocket.Ending? in
                socket.send("lost")
                if case .failure(let failure) = socket.receive() { return failure.ending }
                return nil
            }
            #expect(first == .timeout)
            try await f.client.removeToxic("timeout_downstream", from: "p")
            let back = try await offload { socket.send("back"); return socket.receive(exactly: 4).0 }
            #expect(back == Array("back".utf8))
        }
    }

    @Test func limitDataClosesAfterExactlyNBytes() async throws {
        try await ProxyFixture.with(.blast(100_000)) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "limit_data", "attributes": ["bytes": 12_345]])
            let (bytes, ending) = try await offload { try TestSocket(port: port).receiveAll() }
            #expect(bytes.count == 12_345 && ending == .eof)
            #expect(bytes == (0..<12_345).map { UInt8(truncatingIfNeeded: $0) })
        }
    }

    @Test func slicerDeliversEveryByteIntact() async throws {
        try await ProxyFixture.with(.blast(200_000)) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "slicer", "attributes": ["average_size": 500, "size_variation": 300, "delay": 20]])
            let (bytes, ending) = try await offload { try TestSocket(port: port).receiveAll() }
            #expect(ending == .eof)
            #expect(bytes == (0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        }
    }

    @Test func slowCloseDelaysTheClose() async throws {
        try await ProxyFixture.with(.blast(10)) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "slow_close", "attributes": ["delay": 400]])
            let (count, ending, seconds) = try await offload {
                let start = now()
                let (bytes, ending) = try TestSocket(port: port).receiveAll()
                return (bytes.count, ending, now() - start)
            }
            #expect(count == 10 && ending == .eof)
            #expect(seconds >= 0.35)
        }
    }

    @Test func toxicityAffectsAboutHalfTheConnections() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            try await f.toxic(["type": "reset_peer", "toxicity": 0.5, "attributes": ["timeout": 0]])
            let n = 200
            let reset = try await offload {
                var reset = 0
                for _ in 0..<n {
                    let socket = try TestSocket(port: port)
                    socket.send("x")
                    if case .success = socket.receive() {} else { reset += 1 }
                }
                return reset
            }
            // Binomial(200, 0.5): mean 100, σ ≈ 7.1; ±5σ.
            #expect((65...135).contains(reset), "\(reset) of \(n) reset")
        }
    }

    @Test func aToxicAddedOrRemovedActsOnAnOpenConnection() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            let socket = try TestSocket(port: port)
            let roundTrip = { @Sendable () throws -> Double in
                let start = now()
                socket.send("x")
                _ = socket.receive(exactly: 1)
                return now() - start
            }
            #expect(try await offload(roundTrip) < 0.15)
            try await f.toxic(["type": "latency", "attributes": ["latency": 300]])
            #expect(try await offload(roundTrip) >= 0.28)
            try await f.client.removeToxic("latency_downstream", from: "p")
            #expect(try await offload(roundTrip) < 0.15)
        }
    }

    @Test func disablingClosesConnectionsAndEnablingListensAgain() async throws {
        try await ProxyFixture.with(.echo) { f in
            let port = try await f.proxy()
            let socket = try TestSocket(port: port)
            _ = try await offload { socket.send("x"); return socket.receive(exactly: 1).0 }
            try await f.client.setEnabled("p", false)
            let (_, ending) = try await offload { socket.receiveAll() }
            #expect(ending == .eof || ending == .reset)
            #expect(throws: (any Error).self) { _ = try TestSocket(port: port) }
            try await f.client.setEnabled("p", true)
            let echoed = try await offload { let again = try TestSocket(port: port); again.send("y"); return again.receive(exactly: 1).0 }
            #expect(echoed == Array("y".utf8))
        }
    }

    @Test func aToxicExpiresAfterItsTTL() async throws {
        try await ProxyFixture.with(.echo) { f in
            _ = try await f.proxy()
            let toxic = try await f.toxic(["type": "latency", "ttl": "1s", "attributes": ["latency": 5]])
            #expect(toxic.ttl == "1s")
            // toxiproxy clients can only send attributes: `ttl` is read there too.
            try await f.toxic(["type": "bandwidth", "attributes": ["rate": 100, "ttl": "1s"]])
            #expect(try await f.client.toxics(of: "p").count == 2)
            let deadline = now() + 10
            while now() < deadline, try await !f.client.toxics(of: "p").isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await f.client.toxics(of: "p").isEmpty)
        }
    }
}
