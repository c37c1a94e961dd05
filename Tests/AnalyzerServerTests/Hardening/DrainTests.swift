import Foundation
import NIOHTTP1
import Testing

/// Issue 18: with `--workers`, the listening socket stayed open while the supervisor drained, so
/// new connections were queued unserved and then reset. Now the port refuses them at drain start
/// while the requests in flight complete.
@Suite(.serialized) struct DrainTests {
    /// `connect` to 127.0.0.1:`port`: 0 when it connects, else errno.
    static func connectErrno(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return RawHTTP.Connection.connect(fd, port: port)
    }

    @Test func newConnectionsAreRefusedWhileTheSupervisorDrains() async throws {
        let service = try PoolProcess(["--workers", "2", "--graceful-timeout", "30"])
        defer { service.stop() }
        let model = try await service.irisModel()
        _ = try await service.request(
            .POST, "/admin/faults", json: ["type": "latency", "latency_ms": 20000, "route": "/api/models/{id}/predict", "ttl": "60s"], admin: true)
        let finished = Flag()
        let inFlight = Task {
            defer { finished.set() }
            return try await service.request(.POST, "/api/models/\(model)/predict", json: PredictionLoad.row)
        }
        // The latency fault holds the request for 20 s; let it reach a worker first (3 s: nothing in
        // the service tells when it has, and a loaded machine can take more than a moment).
        try await Task.sleep(for: .seconds(3))
        #expect(!finished.isSet, "the request ended before the drain: \(service.log)")
        kill(service.process.processIdentifier, SIGTERM)
        // Refused once the supervisor and the workers have closed their copies of the socket
        // (today: within a few hundred ms), long before the in-flight request's 20 s are over.
        var refused = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !refused, !finished.isSet, ContinuousClock.now < deadline {
            refused = Self.connectErrno(port: service.port) == ECONNREFUSED
            if !refused { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(refused, "new connections were accepted until the in-flight request ended")
        let reply = try await inFlight.value
        #expect(reply.status == 200, "the in-flight request completed: \(reply.text)")
    }
}

/// A flag one task sets and another polls.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
