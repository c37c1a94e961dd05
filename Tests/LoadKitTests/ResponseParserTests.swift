import NIOCore
import Testing
@testable import LoadKit

/// Feeds `raw` to a parser in pieces of `chunk` bytes; returns (status, body, keepAlive, complete).
private func parse(_ raw: String, chunk: Int, head: Bool = false, close: Bool = false)
    throws -> (status: Int, body: String, keepAlive: Bool, complete: Bool) {
    var parser = ResponseParser()
    parser.reset(isHeadRequest: head, captureLimit: 1 << 20)
    let bytes = Array(raw.utf8)
    var i = 0
    var complete = false
    while i < bytes.count {
        var buffer = ByteBuffer(bytes: bytes[i..<min(i + chunk, bytes.count)])
        i += chunk
        if case .complete = try parser.feed(&buffer) {
            complete = true
            #expect(buffer.readableBytes == 0 || i >= bytes.count)
            break
        }
    }
    if !complete && close { complete = parser.endOfStream() }
    let body = parser.body.map { String(buffer: $0) } ?? ""
    return (parser.head.status, body, parser.head.keepAlive, complete)
}

@Suite struct ResponseParserTests {
    static let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n6\r\n world\r\n"
        + "10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n"

    @Test(arguments: [1, 2, 3, 7, 1000])
    func contentLengthInAnySplit(chunk: Int) throws {
        let r = try parse("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nServer: t\r\n\r\nhello", chunk: chunk)
        #expect(r.status == 201)
        #expect(r.body == "hello")
        #expect(r.keepAlive)
        #expect(r.complete)
    }

    @Test func chunkedAtEverySplit() throws {
        for chunk in 1...Self.chunked.utf8.count {
            let r = try parse(Self.chunked, chunk: chunk)
            #expect(r.complete, "chunk size \(chunk)")
            #expect(r.body == "hello world0123456789abcdef", "chunk size \(chunk)")
        }
    }

    @Test func chunkedWithBareLineFeeds() throws {
        let r = try parse("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", chunk: 4)
        #expect(r.complete)
        #expect(r.body == "abc")
    }

    @Test func headerNamesAreCaseInsensitive() throws {
        let r = try parse("HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: 3\r\nCONNECTION: Close\r\n\r\nabc", chunk: 100)
        #expect(r.body == "abc")
        #expect(!r.keepAlive)
    }

    @Test func interimResponseIsSkipped() throws {
        for chunk in [1, 5, 100] {
            let r = try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", chunk: chunk)
            #expect(r.status == 200)
            #expect(r.body == "ok")
        }
    }

    @Test func noBodyForHeadAnd204And304() throws {
        let head = try parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", chunk: 100, head: true)
        #expect(head.complete && head.body.isEmpty)
        let noContent = try parse("HTTP/1.1 204 No Content\r\n\r\n", chunk: 100)
        #expect(noContent.complete)
        let notModified = try parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n", chunk: 100)
        #expect(notModified.complete)
    }

    @Test func bodyUntilClose() throws {
        let r = try parse("HTTP/1.1 200 OK\r\n\r\nsome body", chunk: 4, close: true)
        #expect(r.complete)
        #expect(r.body == "some body")
        #expect(!r.keepAlive)
    }

    @Test func http10DefaultsToClose() throws {
        let r = try parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", chunk: 100)
        #expect(!r.keepAlive)
        let k = try parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", chunk: 100)
        #expect(k.keepAlive)
    }

    @Test func malformedResponsesThrow() {
        #expect(throws: ResponseParser.Failure.self) { try parse("HTTP/1.1 2x0 OK\r\n\r\n", chunk: 100) }
        #expect(throws: ResponseParser.Failure.self) { try parse("SSH-2.0-OpenSSH\r\n\r\n", chunk: 100) }
        #expect(throws: ResponseParser.Failure.self) {
            try parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx", chunk: 100)
        }
        #expect(throws: ResponseParser.Failure.self) {
            try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", chunk: 100)
        }
        #expect(throws: ResponseParser.Failure.self) {
            try parse("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", chunk: 100)
        }
    }

    @Test func captureIsLimited() throws {
        var parser = ResponseParser()
        parser.reset(isHeadRequest: false, captureLimit: 4)
        var b = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789")
        _ = try parser.feed(&b)
        #expect(parser.bodyBytes == 10)
        #expect(parser.body.map { String(buffer: $0) } == "0123")
    }

    @Test func reasonAndLocationAreKept() throws {
        var parser = ResponseParser()
        parser.reset(isHeadRequest: false, captureLimit: 0)
        var b = ByteBuffer(string: "HTTP/1.1 302 Found\r\nLocation: /next?a=1\r\nContent-Length: 0\r\n\r\n")
        #expect(try parser.feed(&b) == .complete)
        #expect(parser.head.reason == "Found")
        #expect(parser.head.location == "/next?a=1")
        #expect(parser.body == nil)
    }
}
