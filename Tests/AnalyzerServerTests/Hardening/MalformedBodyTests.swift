import Foundation
import NIOHTTP1
import Testing

/// Issue 18: a malformed chunked body is the client's error (400 `invalid_body`), not a 500
/// `internal_error` that counts toward HighErrorRate; in one process and in a worker.
@Suite(.serialized) struct MalformedBodyTests {
    static let modes: [[String]] = [[], ["--workers", "1"]]

    @Test(arguments: modes) func aBadChunkIs400(_ arguments: [String]) async throws {
        let service = try PoolProcess(arguments)
        defer { service.stop() }
        let port = service.port
        let reply = try await RawHTTP.blocking {
            let connection = try RawHTTP.Connection(port: port)
            defer { connection.close() }
            let head = "POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
            // "zz" is not a hexadecimal chunk size.
            try connection.write(Data((head + "4\r\na,b\n\r\nzz\r\n1,2\n\r\n0\r\n\r\n").utf8))
            return try connection.readResponse()
        }
        #expect(reply.status == 400, "\(reply.status): \(reply.text)")
        #expect(reply.json.errorCode == "invalid_body", "\(reply.text)")
        #expect(try await service.request(.GET, "/healthz").status == 200)
        let metrics = try await service.request(.GET, "/metrics").text
        #expect(!metrics.contains("status=\"500\""), "a client's malformed body counted as a server error")
    }
}
