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
        let head = "POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
        // "zz" is not a hexadecimal chunk size.
        let reply = try await RawHTTP(port: service.port).raw(head + "4\r\na,b\n\r\nzz\r\n1,2\n\r\n0\r\n\r\n")
        #expect(reply.status == 400, "\(reply.status): \(reply.text)")
        #expect(reply.json.errorCode == "invalid_body", "\(reply.text)")
        #expect(reply.head.lowercased().contains("connection: close"), "\(reply.head)")
        #expect(try await service.request(.GET, "/healthz").status == 200)
        let metrics = try await service.request(.GET, "/metrics").text
        #expect(!metrics.contains("status=\"500\""), "a client's malformed body counted as a server error")
    }

    /// Requests the HTTP parser refuses got Hummingbird's bare 400 with an empty body; they are now
    /// 400 `bad_request` saying what was wrong, with `Connection: close`, and the connection closes.
    @Test(arguments: modes) func framingErrorsAreAJSON400(_ arguments: [String]) async throws {
        let service = try PoolProcess(arguments)
        defer { service.stop() }
        let cases: [(request: String, says: String)] = [
            ("GARBAGE\r\n\r\n", "invalid http method"),
            ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n", "invalid character in header"),
            ("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "content-length"),
            ("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n", "content-length"),
        ]
        for (request, says) in cases {
            let reply = try await RawHTTP(port: service.port).raw(request)
            let shown = request.debugDescription
            #expect(reply.status == 400, "\(shown): \(reply.head)")
            #expect(reply.head.lowercased().contains("connection: close"), "\(shown): \(reply.head)")
            #expect(reply.json.errorCode == "bad_request", "\(shown): \(reply.text)")
            #expect(reply.json.errorMessage.contains("not valid HTTP/1.1"), "\(shown): \(reply.text)")
            #expect(reply.json.errorMessage.lowercased().contains(says), "\(shown): \(reply.text)")
        }
        #expect(try await service.request(.GET, "/healthz").status == 200)
    }
}
