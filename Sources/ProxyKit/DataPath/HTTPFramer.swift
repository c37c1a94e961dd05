import NIOCore

/// Finds HTTP/1.1 message boundaries in a byte stream without changing a byte: the head (start line
/// and headers), then the body by Content-Length, chunked framing, or until the connection closes.
/// Enough to match every request of a keep-alive connection and to cut a response mid-body.
struct HTTPFramer {
    /// A parsed head; `raw` is the head's bytes as received.
    struct Head {
        var raw: ByteBuffer
        /// Request: method and target; response: status.
        var method: Substring = "", target: Substring = "", status = 0
        var contentLength: Int?
        var chunked = false
    }

    enum Event {
        case head(Head)
        case body(ByteBuffer)
        case end
    }

    private enum State {
        case head
        case fixed(Int)
        case chunkSize
        case chunkData(Int)
        case chunkDataEnd(Int)
        case trailer
        case untilClose
        case opaque
    }

    let isRequest: Bool
    private var state = State.head
    private var pending: ByteBuffer?
    private var line: [UInt8] = []
    static let maxHead = 64 * 1024

    init(isRequest: Bool) { self.isRequest = isRequest }

    /// True once the stream stopped looking like HTTP/1.1 (everything after passes as body).
    var isOpaque: Bool { if case .opaque = state { true } else { false } }

    /// Feeds bytes; `bodyless` says whether a response with this status has no body (HEAD, 1xx,
    /// 204, 304), asked once per response head.
    mutating func feed(_ input: ByteBuffer, bodyless: (Int) -> Bool = { _ in false }, _ emit: (Event) -> Void) {
        var buffer = input
        while buffer.readableBytes > 0 {
            switch state {
            case .head:
                if var p = pending { p.writeImmutableBuffer(buffer); buffer = p; pending = nil }
                guard let end = Self.headEnd(buffer) else {
                    if buffer.readableBytes > Self.maxHead { state = .opaque; emit(.body(buffer)); return }
                    pending = buffer
                    return
                }
                let raw = buffer.readSlice(length: end)!
                guard let parsed = Self.parse(raw, isRequest: isRequest) else {
                    state = .opaque
                    emit(.body(raw))
                    emit(.body(buffer))
                    return
                }
                emit(.head(parsed))
                if !isRequest, bodyless(parsed.status) { state = .head; emit(.end) }
                else if parsed.chunked { state = .chunkSize }
                else if let length = parsed.contentLength { state = length > 0 ? .fixed(length) : .head; if length == 0 { emit(.end) } }
                else if isRequest { state = .head; emit(.end) }
                else { state = .untilClose }
            case .fixed(let remaining):
                let n = min(remaining, buffer.readableBytes)
                emit(.body(buffer.readSlice(length: n)!))
                state = remaining - n == 0 ? .head : .fixed(remaining - n)
                if remaining - n == 0 { emit(.end) }
            case .chunkData(let remaining):
                let n = min(remaining, buffer.readableBytes)
                emit(.body(buffer.readSlice(length: n)!))
                state = remaining - n == 0 ? .chunkDataEnd(2) : .chunkData(remaining - n)
            case .chunkDataEnd(let remaining):
                let n = min(remaining, buffer.readableBytes)
                emit(.body(buffer.readSlice(length: n)!))
                state = remaining - n == 0 ? .chunkSize : .chunkDataEnd(remaining - n)
            case .chunkSize, .trailer:
                // Line by line; a line's bytes are passed on as they are consumed.
                var consumed = 0
                var complete = false
                for byte in buffer.readableBytesView {
                    consumed += 1
                    if byte == UInt8(ascii: "\n") { complete = true; break }
                    if byte != UInt8(ascii: "\r"), line.count < 1024 { line.append(byte) }
                }
                emit(.body(buffer.readSlice(length: consumed)!))
                guard complete else { return }
                let text = line
                line.removeAll()
                if case .trailer = state {
                    if text.isEmpty { state = .head; emit(.end) }
                } else {
                    let hex = text.prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") }
                    guard let size = Int(String(decoding: hex, as: UTF8.self), radix: 16) else { state = .opaque; break }
                    state = size == 0 ? .trailer : .chunkData(size)
                }
            case .untilClose, .opaque:
                emit(.body(buffer))
                return
            }
        }
    }

    /// The offset just past `\r\n\r\n`, or nil.
    private static func headEnd(_ buffer: ByteBuffer) -> Int? {
        let view = buffer.readableBytesView
        var i = view.startIndex
        while i + 3 < view.endIndex {
            if view[i] == 13, view[i + 1] == 10, view[i + 2] == 13, view[i + 3] == 10 { return i + 4 - view.startIndex }
            i += 1
        }
        return nil
    }

    private static func parse(_ raw: ByteBuffer, isRequest: Bool) -> Head? {
        let text = String(decoding: raw.readableBytesView, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true)[...]
        guard let start = lines.popFirst() else { return nil }
        let parts = start.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2 else { return nil }
        var head = Head(raw: raw)
        if isRequest {
            guard parts[parts.count > 2 ? 2 : 1].hasPrefix("HTTP/") || parts.count == 3 else { return nil }
            head.method = parts[0]
            head.target = parts[1]
        } else {
            guard parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return nil }
            head.status = status
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if name == "content-length" { head.contentLength = Int(value) }
            if name == "transfer-encoding", value.lowercased().contains("chunked") { head.chunked = true }
        }
        return head
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
