import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental, allocation-light HTTP/1.1 response parser.
///
/// Handles status line and headers split across reads, `Content-Length`, chunked transfer coding
/// (with extensions and trailers), bodies delimited by connection close, interim 1xx responses and
/// responses that carry no body (HEAD, 204, 304). The body is counted and, only when asked, captured
/// up to a limit.
struct ResponseParser {
    /// What a parsed response head told us.
    struct Head {
        var status: Int = 0
        var reason: String = ""
        var keepAlive: Bool = true
        var location: String?
    }

    enum Failure: Error, Equatable {
        case badStatusLine
        case badHeader
        case headTooLarge
        case badContentLength
        case badChunk
        case unsupportedUpgrade
        case unexpectedData
    }

    enum Progress {
        case needMore
        case complete
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize(value: Int, digits: Int)
        case chunkExtension(value: Int)
        case chunkSizeLF(value: Int)
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailerLineStart
        case trailerLine
        case trailerEndLF
        case untilClose
        case done
    }

    static let maxHeadSize = 64 * 1024

    private var state: State = .head
    private var pendingHead: ByteBuffer?
    private(set) var head = Head()
    /// Decoded body bytes received so far.
    private(set) var bodyBytes = 0
    /// Captured body, when `captureLimit > 0`.
    private(set) var body: ByteBuffer?
    private var captureLimit = 0
    private var requestWasHead = false
    /// Whether any byte of the response has been seen.
    private(set) var sawBytes = false

    /// Prepares for the next response.
    mutating func reset(isHeadRequest: Bool, captureLimit: Int) {
        self.state = .head
        self.pendingHead = nil
        self.head = Head()
        self.bodyBytes = 0
        self.body = nil
        self.captureLimit = captureLimit
        self.requestWasHead = isHeadRequest
        self.sawBytes = false
    }

    /// True while a body delimited by the connection closing is being read.
    var readsUntilClose: Bool {
        if case .untilClose = state { return true }
        return false
    }

    /// Feeds bytes; on `.complete` the buffer's reader index sits after the response.
    mutating func feed(_ buffer: inout ByteBuffer) throws -> Progress {
        if buffer.readableBytes > 0 { sawBytes = true }
        while true {
            switch state {
            case .head:
                guard try parseHead(&buffer) else { return .needMore }
            case .done:
                return .complete
            case .fixed(let remaining):
                let n = min(remaining, buffer.readableBytes)
                consumeBody(&buffer, n)
                if n == remaining {
                    state = .done
                    return .complete
                }
                state = .fixed(remaining: remaining - n)
                return .needMore
            case .chunkData(let remaining):
                if buffer.readableBytes == 0 { return .needMore }
                let n = min(remaining, buffer.readableBytes)
                consumeBody(&buffer, n)
                state = n == remaining ? .chunkDataCR : .chunkData(remaining: remaining - n)
            case .untilClose:
                consumeBody(&buffer, buffer.readableBytes)
                return .needMore
            default:
                guard let byte = buffer.readInteger(as: UInt8.self) else { return .needMore }
                try chunkByte(byte)
            }
        }
    }

    /// Called when the peer closed the connection; returns whether that completed the response.
    mutating func endOfStream() -> Bool {
        if case .untilClose = state {
            state = .done
            return true
        }
        if case .done = state { return true }
        return false
    }

    private mutating func consumeBody(_ buffer: inout ByteBuffer, _ n: Int) {
        guard n > 0 else { return }
        bodyBytes += n
        if captureLimit > 0 {
            let room = captureLimit - (body?.readableBytes ?? 0)
            if room > 0, var slice = buffer.getSlice(at: buffer.readerIndex, length: min(room, n)) {
                if body == nil {
                    body = slice
                } else {
                    body!.writeBuffer(&slice)
                }
            }
        }
        buffer.moveReaderIndex(forwardBy: n)
    }

    private mutating func chunkByte(_ byte: UInt8) throws {
        switch state {
        case .chunkSize(let value, let digits):
            if let hex = Self.hexValue(byte) {
                guard digits < 15 else { throw Failure.badChunk }
                state = .chunkSize(value: value << 4 | hex, digits: digits + 1)
            } else if digits == 0 {
                throw Failure.badChunk
            } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                state = .chunkExtension(value: value)
            } else if byte == UInt8(ascii: "\r") {
                state = .chunkSizeLF(value: value)
            } else if byte == UInt8(ascii: "\n") {
                chunkSizeDone(value)
            } else {
                throw Failure.badChunk
            }
        case .chunkExtension(let value):
            if byte == UInt8(ascii: "\n") { chunkSizeDone(value) }
        case .chunkSizeLF(let value):
            guard byte == UInt8(ascii: "\n") else { throw Failure.badChunk }
            chunkSizeDone(value)
        case .chunkDataCR:
            if byte == UInt8(ascii: "\r") {
                state = .chunkDataLF
            } else if byte == UInt8(ascii: "\n") {
                state = .chunkSize(value: 0, digits: 0)
            } else {
                throw Failure.badChunk
            }
        case .chunkDataLF:
            guard byte == UInt8(ascii: "\n") else { throw Failure.badChunk }
            state = .chunkSize(value: 0, digits: 0)
        case .trailerLineStart:
            if byte == UInt8(ascii: "\r") {
                state = .trailerEndLF
            } else if byte == UInt8(ascii: "\n") {
                state = .done
            } else {
                state = .trailerLine
            }
        case .trailerLine:
            if byte == UInt8(ascii: "\n") { state = .trailerLineStart }
        case .trailerEndLF:
            guard byte == UInt8(ascii: "\n") else { throw Failure.badChunk }
            state = .done
        default:
            break
        }
    }

    private mutating func chunkSizeDone(_ value: Int) {
        state = value == 0 ? .trailerLineStart : .chunkData(remaining: value)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Parses a complete head if one is available; returns false when more bytes are needed.
    private mutating func parseHead(_ buffer: inout ByteBuffer) throws -> Bool {
        if pendingHead == nil {
            // Fast path: the whole head is in this read.
            if let consumed = try buffer.withUnsafeReadableBytes({ try parseHeadBytes($0) }) {
                buffer.moveReaderIndex(forwardBy: consumed)
                return true
            }
            guard buffer.readableBytes <= Self.maxHeadSize else { throw Failure.headTooLarge }
            pendingHead = buffer
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return false
        }
        let previous = pendingHead!.readableBytes
        pendingHead!.writeImmutableBuffer(buffer)
        guard let consumed = try pendingHead!.withUnsafeReadableBytes({ try parseHeadBytes($0) }) else {
            guard pendingHead!.readableBytes <= Self.maxHeadSize else { throw Failure.headTooLarge }
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return false
        }
        pendingHead = nil
        buffer.moveReaderIndex(forwardBy: consumed - previous)
        return true
    }

    /// Parses one head from `bytes`; returns the bytes consumed, or nil when incomplete.
    private mutating func parseHeadBytes(_ bytes: UnsafeRawBufferPointer) throws -> Int? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var lineStart = 0
        var lineIndex = 0
        var http10 = false
        var contentLength: Int?
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        var newHead = Head()
        var i = 0
        let base = bytes.baseAddress!
        while i < count {
            // memchr is vectorised; header lines are short but many.
            guard let hit = memchr(base + i, 0x0A, count - i) else { return nil }
            i = base.distance(to: UnsafeRawPointer(hit))
            var lineEnd = i
            if lineEnd > lineStart && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if lineIndex == 0 {
                http10 = try Self.parseStatusLine(bytes, lineStart, lineEnd, into: &newHead)
            } else if lineEnd == lineStart {
                // End of head.
                let consumed = i + 1
                if newHead.status >= 100 && newHead.status < 200 {
                    if newHead.status == 101 { throw Failure.unsupportedUpgrade }
                    // Interim response: parse the next head from what follows.
                    guard let rest = try parseHeadBytes(UnsafeRawBufferPointer(rebasing: bytes[consumed...])) else {
                        return nil
                    }
                    return consumed + rest
                }
                newHead.keepAlive = http10 ? connectionKeepAlive && !connectionClose : !connectionClose
                let noBody = requestWasHead || newHead.status == 204 || newHead.status == 304
                if noBody {
                    state = .done
                } else if chunked {
                    state = .chunkSize(value: 0, digits: 0)
                } else if let length = contentLength {
                    state = length == 0 ? .done : .fixed(remaining: length)
                } else {
                    state = .untilClose
                    newHead.keepAlive = false
                }
                head = newHead
                return consumed
            } else {
                try Self.parseHeaderLine(
                    bytes, lineStart, lineEnd, head: &newHead, contentLength: &contentLength,
                    chunked: &chunked, close: &connectionClose, keepAlive: &connectionKeepAlive)
            }
            lineIndex += 1
            i += 1
            lineStart = i
        }
        return nil
    }

    private static func parseStatusLine(
        _ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, into head: inout Head
    ) throws -> Bool {
        // "HTTP/1.1 200 OK"
        guard end - start >= 12,
              b[start] == UInt8(ascii: "H"), b[start + 1] == UInt8(ascii: "T"),
              b[start + 2] == UInt8(ascii: "T"), b[start + 3] == UInt8(ascii: "P"),
              b[start + 4] == UInt8(ascii: "/"), b[start + 8] == UInt8(ascii: " ")
        else { throw Failure.badStatusLine }
        var status = 0
        for k in 9..<12 {
            let d = b[start + k]
            guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { throw Failure.badStatusLine }
            status = status * 10 + Int(d - UInt8(ascii: "0"))
        }
        guard end - start == 12 || b[start + 12] == UInt8(ascii: " ") else { throw Failure.badStatusLine }
        head.status = status
        if end - start == 15 && b[start + 13] == UInt8(ascii: "O") && b[start + 14] == UInt8(ascii: "K") {
            head.reason = "OK"  // the usual reason, without decoding it
        } else if end - start > 13 {
            head.reason = String(decoding: UnsafeRawBufferPointer(rebasing: b[(start + 13)..<end]), as: UTF8.self)
        }
        return b[start + 5] == UInt8(ascii: "1") && b[start + 7] == UInt8(ascii: "0")
    }

    // swiftlint:disable:next function_parameter_count
    private static func parseHeaderLine(
        _ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, head: inout Head,
        contentLength: inout Int?, chunked: inout Bool, close: inout Bool, keepAlive: inout Bool
    ) throws {
        var colon = start
        while colon < end && b[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < end, colon > start else { throw Failure.badHeader }
        var vStart = colon + 1
        while vStart < end && (b[vStart] == UInt8(ascii: " ") || b[vStart] == UInt8(ascii: "\t")) { vStart += 1 }
        var vEnd = end
        while vEnd > vStart && (b[vEnd - 1] == UInt8(ascii: " ") || b[vEnd - 1] == UInt8(ascii: "\t")) { vEnd -= 1 }
        let nameLength = colon - start
        switch nameLength {
        case 14 where matches(b, start, "content-length"):
            var value = 0
            guard vEnd > vStart, vEnd - vStart <= 18 else { throw Failure.badContentLength }
            for k in vStart..<vEnd {
                let d = b[k]
                guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { throw Failure.badContentLength }
                value = value * 10 + Int(d - UInt8(ascii: "0"))
            }
            if let existing = contentLength, existing != value { throw Failure.badContentLength }
            contentLength = value
        case 17 where matches(b, start, "transfer-encoding"):
            // Chunked must be the final coding when present.
            let value = lowercased(b, vStart, vEnd)
            if value.hasSuffix("chunked") { chunked = true }
        case 10 where matches(b, start, "connection"):
            // Comma-separated tokens, compared without allocating.
            var t = vStart
            while t < vEnd {
                while t < vEnd && (b[t] == UInt8(ascii: " ") || b[t] == UInt8(ascii: "\t") || b[t] == UInt8(ascii: ",")) {
                    t += 1
                }
                var e = t
                while e < vEnd && b[e] != UInt8(ascii: ",") { e += 1 }
                var te = e
                while te > t && (b[te - 1] == UInt8(ascii: " ") || b[te - 1] == UInt8(ascii: "\t")) { te -= 1 }
                if te - t == 5 && matches(b, t, "close") { close = true }
                if te - t == 10 && matches(b, t, "keep-alive") { keepAlive = true }
                t = e + 1
            }
        case 8 where matches(b, start, "location"):
            head.location = String(decoding: UnsafeRawBufferPointer(rebasing: b[vStart..<vEnd]), as: UTF8.self)
        default:
            break
        }
    }

    /// Case-insensitive comparison of header name bytes with a lowercase ASCII literal.
    private static func matches(_ b: UnsafeRawBufferPointer, _ start: Int, _ lower: StaticString) -> Bool {
        let p = lower.utf8Start
        for k in 0..<lower.utf8CodeUnitCount where b[start + k] | 0x20 != p[k] {
            return false
        }
        return true
    }

    private static func lowercased(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<end]), as: UTF8.self).lowercased()
    }
}
