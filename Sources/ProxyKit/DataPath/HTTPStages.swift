import NIOCore

/// The first stage of an HTTP proxy's upstream pipe: frames each request of the connection and
/// applies the proxy's HTTP toxics to it, in the order they were added: `http_status` and
/// `fail_first` answer in place of the service (the request is not forwarded), `http_latency` holds
/// the request, `http_abort` lets it through and tells the response stage to cut the answer.
final class HTTPRequestStage: ScheduledStage, @unchecked Sendable {
    private let runtime: ProxyRuntime
    private let responses: HTTPResponseStage
    private var framer = HTTPFramer(isRequest: true)
    private var swallowing = false

    init(runtime: ProxyRuntime, responses: HTTPResponseStage) {
        self.runtime = runtime
        self.responses = responses
        super.init(name: "\u{0}http-request")
    }

    override func receive(_ chunk: Chunk) {
        guard case .data(let buffer) = chunk else { release(chunk, at: .now()); return }
        framer.feed(buffer) { event in
            switch event {
            case .head(let head): begin(head)
            case .body(let body):
                if swallowing { pipe?.dropped(body.readableBytes) } else { release(.data(body), at: .now()) }
            case .end: swallowing = false
            }
        }
    }

    private func begin(_ head: HTTPFramer.Head) {
        var delay: Int64 = 0
        var abort: Int64?
        for toxic in runtime.toxics where toxic.spec.kind.isHTTP {
            guard Double.random(in: 0..<1) < toxic.spec.toxicity else { continue }
            switch toxic.spec.kind {
            case .httpStatus(let match, let status, let body) where match.matches(method: head.method, target: head.target):
                return answer(status: status, body: body, toxic: toxic.spec.name, head: head)
            case .failFirst(let match, _, let status, let body) where match.matches(method: head.method, target: head.target):
                if toxic.claimFailure() { return answer(status: status, body: body, toxic: toxic.spec.name, head: head) }
            case .httpLatency(let match, let latency, let jitter) where match.matches(method: head.method, target: head.target):
                delay = Self.saturating(delay, Self.saturating(latency, jitter > 0 ? Int64.random(in: -jitter..<jitter) : 0))
            case .httpAbort(let match, let bodyBytes) where match.matches(method: head.method, target: head.target):
                abort = bodyBytes
            default: continue
            }
        }
        responses.expect(.upstream(isHead: head.method == "HEAD", abortAfter: abort))
        release(.data(head.raw), at: .now() + .milliseconds(max(0, delay)))
    }

    private func answer(status: Int64, body: String, toxic: String, head: HTTPFramer.Head) {
        swallowing = true
        pipe?.dropped(head.raw.readableBytes)
        let payload = head.method == "HEAD" ? "" : body
        let contentType = body.hasPrefix("{") || body.hasPrefix("[") ? "application/json" : "text/plain; charset=utf-8"
        let text = "HTTP/1.1 \(status) \(Self.reason(status))\r\ncontent-type: \(contentType)\r\ncontent-length: \(body.utf8.count)\r\n"
            + "x-firedrill-toxic: \(toxic)\r\n\r\n" + payload
        responses.expect(.injected(ByteBuffer(string: text)))
    }

    static func reason(_ status: Int64) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: status < 400 ? "OK" : "Error"
        }
    }
}

/// The first stage of an HTTP proxy's downstream pipe: frames the service's responses, puts the
/// answers of `http_status`/`fail_first` in their place in the sequence, and cuts a response marked
/// by `http_abort` after `body_bytes` of its body (-1: half its Content-Length), closing the connection.
final class HTTPResponseStage: ToxicStage, @unchecked Sendable {
    enum Expectation {
        case upstream(isHead: Bool, abortAfter: Int64?)
        case injected(ByteBuffer)
    }

    private var framer = HTTPFramer(isRequest: false)
    private var expected: [Expectation] = []
    private var inResponse = false
    private var cutAfter: Int64?

    init() { super.init(name: "\u{0}http-response") }

    func expect(_ expectation: Expectation) {
        expected.append(expectation)
        flushInjected()
    }

    override func receive(_ chunk: Chunk) {
        guard case .data(let buffer) = chunk else { emit(chunk); return }
        framer.feed(buffer, bodyless: bodyless) { event in
            guard !(connection?.closed ?? true) else { return }
            switch event {
            case .head(let head): begin(head)
            case .body(var body):
                guard let remaining = cutAfter else { emit(.data(body)); return }
                if Int64(body.readableBytes) >= remaining {
                    let total = body.readableBytes
                    let kept = body.readSlice(length: Int(remaining))!
                    pipe?.dropped(total - kept.readableBytes)
                    emit(.data(kept))
                    connection?.close()
                } else {
                    cutAfter = remaining - Int64(body.readableBytes)
                    emit(.data(body))
                }
            case .end:
                if cutAfter != nil { connection?.close(); return }
                inResponse = false
                flushInjected()
            }
        }
    }

    private func bodyless(_ status: Int) -> Bool {
        if (100..<200).contains(status) || status == 204 || status == 304 { return true }
        if case .upstream(let isHead, _)? = expected.first { return isHead }
        return false
    }

    private func begin(_ head: HTTPFramer.Head) {
        emit(.data(head.raw))
        guard head.status >= 200 else { return }  // 1xx: the real answer follows
        inResponse = true
        guard case .upstream(_, let abort)? = expected.first else { return }
        expected.removeFirst()
        guard let abort else { return }
        let cut = abort >= 0 ? abort : Int64((head.contentLength ?? 0) / 2)
        if cut == 0 { connection?.close() } else { cutAfter = cut }
    }

    private func flushInjected() {
        while !inResponse, case .injected(let response)? = expected.first {
            expected.removeFirst()
            pipe?.inserted(response.readableBytes)
            emit(.data(response))
        }
    }
}
