import Foundation
import NIOHTTP1
import Testing

@testable import AnalyzerServer

/// Issue 18: slowloris connections and a 1 byte/s upload were held forever. A connection that
/// sends half a head, or a body too slowly, is now closed after its timeout, in one process and
/// in a worker, while other clients are served.
@Suite(.serialized) struct ReadTimeoutTests {
    static let modes: [[String]] = [[], ["--workers", "1"]]
    static let timeouts = ["--header-timeout", "1s", "--body-timeout", "2s", "--idle-timeout", "2s"]

    /// Reads until the server closes the connection: the bytes, or nil when it stayed open for
    /// the socket's 30 s receive timeout.
    static func readUntilClosed(_ connection: RawHTTP.Connection) -> Data? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(connection.fd, &buffer, buffer.count, 0)
            if n > 0 {
                data.append(contentsOf: buffer[0..<n])
            } else if n == 0 || errno == ECONNRESET {
                return data
            } else if errno != EINTR {
                return nil
            }
        }
    }

    /// Opens a connection, sends `bytes` and waits for the server to close it.
    static func sendAndWaitForClose(port: Int, _ bytes: String) async throws -> Data? {
        try await RawHTTP.blocking {
            let connection = try RawHTTP.Connection(port: port)
            defer { connection.close() }
            try connection.write(Data(bytes.utf8))
            return readUntilClosed(connection)
        }
    }

    @Test(arguments: modes) func slowClientsAreCutOffAndOthersServed(_ mode: [String]) async throws {
        let service = try PoolProcess(mode + Self.timeouts)
        defer { service.stop() }
        let port = service.port
        async let halfHead = Self.sendAndWaitForClose(port: port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        async let slowBody = Self.sendAndWaitForClose(
            port: port, "POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\na,b\n1,")
        async let silent = Self.sendAndWaitForClose(port: port, "")
        // Other clients meanwhile: served, on new and on kept-alive connections.
        for _ in 0..<5 {
            #expect(try await service.request(.GET, "/healthz").status == 200)
        }
        let (head, body, nothing) = try await (halfHead, slowBody, silent)
        #expect(head != nil, "a connection with half a request head stayed open")
        #expect(body != nil, "a connection with a body sent too slowly stayed open")
        #expect(nothing != nil, "a connection that sent nothing stayed open")
        #expect(try await service.request(.GET, "/healthz").status == 200)
        let metrics = try await service.request(.GET, "/metrics").text
        #expect(!metrics.contains("status=\"500\""), "a slow client counted as a server error")
    }

    /// A body that never finishes was cut off at `--body-timeout` without a word; it is now
    /// answered 408 `request_timeout` naming the limit, with `Connection: close`, then closed.
    @Test(arguments: modes) func aBodyThatNeverFinishesIsAnswered408(_ mode: [String]) async throws {
        let service = try PoolProcess(mode + Self.timeouts)
        defer { service.stop() }
        let head = "POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\n"
        let reply = try await RawHTTP(port: service.port).raw(head + "a,b\n1,2\n3,")  // 10 of 100 bytes
        #expect(reply.status == 408, "\(reply.head)\n\(reply.text)")
        #expect(reply.head.lowercased().contains("connection: close"), "\(reply.head)")
        #expect(reply.json.errorCode == "request_timeout", "\(reply.text)")
        #expect(reply.json.errorMessage.contains("within 2 s (--body-timeout)"), "\(reply.text)")
        let datasets = try await service.request(.GET, "/api/datasets").json["datasets"] as? [Any]
        #expect(datasets?.isEmpty == true, "a body cut off became a dataset")
    }

    @Test func timeoutFlagsTakeTheOneDurationGrammar() throws {
        let options = try ServeOptions.parse(["--header-timeout", "1.5s", "--body-timeout", "2m", "--idle-timeout", "500ms"])
        #expect(options.configuration.readTimeouts.header == .milliseconds(1500))
        #expect(options.configuration.readTimeouts.body == .seconds(120))
        #expect(options.configuration.readTimeouts.idle == .milliseconds(500))
        #expect(throws: (any Error).self) { try ServeOptions.parse(["--body-timeout", "0s"]) }
        #expect(throws: (any Error).self) { try ServeOptions.parse(["--idle-timeout", "soon"]) }
    }
}
