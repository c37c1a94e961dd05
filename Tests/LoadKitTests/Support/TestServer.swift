import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 for tests, with routes that misbehave on purpose.
///
/// Routes: `/` and anything unknown → 200 "ok"; `/json`; `/echo` (echoes the body and query);
/// `/status/NNN`; `/chunked`; `/split` (head and body in pieces); `/interim` (100 Continue first);
/// `/until-close`; `/close` (Connection: close); `/redirect` → `/json`; `/redirect-303` (POST → GET);
/// `/redirect-abs`; `/redirect-localhost` (this port by name); `/redirect-https` (to this port over https); `/redirect-loop`; `/stall?ms=N`; `/hang`; `/eof` (close without answering);
/// `/reset` (TCP RST); `/reset-every?n=N` (RST every Nth request); `/poll` (training twice, then ready);
/// `/big` (64 KiB body); `/periodic-stall?every=S&stall=S&ms=N` (every N ms, and in the last `stall` seconds
/// of every `every` seconds since the server started, held until that window ends: a periodic stall). `stallAll(for:)` delays every response. `start(silent: true)`: a server that
/// accepts connections, reads what it is sent and never answers.
final class TestServer: Sendable {
    let port: Int
    /// When the server started (the periodic stall's clock).
    let started = NIODeadline.now()
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    let state: Mutex<State>

    struct State {
        var requests: [RecordedRequest] = []
        var stallUntil: NIODeadline = .uptimeNanoseconds(0)
        var pollCount: [String: Int] = [:]
        var counter = 0
        var connections = 0
    }

    struct RecordedRequest: Sendable {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: String
        /// Monotonic nanoseconds (`NIODeadline.now()`) when the request's head was read.
        var arrival: UInt64 = 0

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    static func start(tls: NIOSSLContext? = nil, silent: Bool = false) async throws -> TestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = Mutex<TestServer?>(nil)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(ServerHandler(server: { box.withLock { $0 } }, silent: silent))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestServer(group: group, channel: channel, scheme: tls == nil ? "http" : "https")
        box.withLock { $0 = server }
        return server
    }

    private let scheme: String

    private init(group: MultiThreadedEventLoopGroup, channel: Channel, scheme: String) {
        self.scheme = scheme
        self.group = group
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.state = Mutex(State())
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    var requests: [RecordedRequest] { state.withLock { $0.requests } }
    var requestCount: Int { state.withLock { $0.requests.count } }
    var connectionCount: Int { state.withLock { $0.connections } }

    /// Delays every response until `seconds` from now.
    func stallAll(for seconds: Double) {
        state.withLock { $0.stallUntil = .now() + .nanoseconds(Int64(seconds * 1e9)) }
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Parses requests and answers them according to the route.
private final class ServerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: @Sendable () -> TestServer?
    let silent: Bool
    var buffer = ByteBuffer()

    init(server: @escaping @Sendable () -> TestServer?, silent: Bool) {
        self.server = server
        self.silent = silent
    }

    func channelActive(context: ChannelHandlerContext) {
        server()?.state.withLock { $0.connections += 1 }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if silent { return }
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let request = parseRequest() {
            handle(request, context: context)
        }
    }

    private func parseRequest() -> TestServer.RecordedRequest? {
        let view = buffer.readableBytesView
        guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let headText = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [(String, String)] = []
        var length = 0
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
            if name.lowercased() == "content-length" { length = Int(value) ?? 0 }
        }
        let headBytes = end.upperBound - view.startIndex
        guard buffer.readableBytes >= headBytes + length else { return nil }
        buffer.moveReaderIndex(forwardBy: headBytes)
        let body = buffer.readString(length: length) ?? ""
        buffer.discardReadBytes()
        return TestServer.RecordedRequest(
            method: String(requestLine[0]), target: String(requestLine.count > 1 ? requestLine[1] : "/"),
            headers: headers, body: body, arrival: NIODeadline.now().uptimeNanoseconds)
    }

    private func handle(_ request: TestServer.RecordedRequest, context: ChannelHandlerContext) {
        guard let server = server() else { return }
        let (stallUntil, count) = server.state.withLock { s in
            s.requests.append(request)
            s.counter += 1
            return (s.stallUntil, s.counter)
        }
        let parts = request.target.split(separator: "?", maxSplits: 1)
        let path = String(parts[0])
        let query = parts.count > 1 ? String(parts[1]) : ""
        @Sendable func param(_ name: String) -> String? {
            query.split(separator: "&").compactMap { kv -> String? in
                let p = kv.split(separator: "=", maxSplits: 1)
                return p.count == 2 && p[0] == name ? String(p[1]) : nil
            }.first
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let respond: @Sendable () -> Void = { [self] in
            let context = loopBound.value
            self.route(path: path, query: query, param: param, request: request, count: count, server: server, context: context)
        }
        let now = NIODeadline.now()
        var delay = stallUntil > now ? stallUntil - now : .zero
        if path == "/stall", let ms = param("ms").flatMap(Int64.init) { delay = delay + .milliseconds(ms) }
        if path == "/periodic-stall" {
            let every = Int64((param("every").flatMap(Double.init) ?? 10) * 1e9)
            let stall = Int64((param("stall").flatMap(Double.init) ?? 1) * 1e9)
            let phase = (now - server.started).nanoseconds % every
            if phase >= every - stall { delay = delay + .nanoseconds(every - phase) }
            delay = delay + .milliseconds(param("ms").flatMap(Int64.init) ?? 0)
        }
        if delay > .zero {
            context.eventLoop.scheduleTask(in: delay, respond)
        } else {
            respond()
        }
    }

    // swiftlint:disable:next function_parameter_count
    private func route(
        path: String, query: String, param: (String) -> String?, request: TestServer.RecordedRequest, count: Int,
        server: TestServer, context: ChannelHandlerContext
    ) {
        let isHead = request.method == "HEAD"
        func send(_ text: String) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        }
        func reply(_ status: String, _ body: String, type: String = "text/plain", extra: String = "") {
            send("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n"
                + (isHead ? "" : body))
        }
        func reset() {
            if let provider = context.channel as? SocketOptionProvider {
                let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in ctx.value.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        }
        switch path {
        case "/json":
            reply("200 OK", #"{"id":"ds_1","status":"ready","row_count":150,"nested":{"list":[1,2,3]},"name":"iris"}"#,
                  type: "application/json")
        case "/echo":
            let type = request.header("content-type") ?? "none"
            reply("200 OK", request.body, type: type, extra: "X-Query: \(query)\r\nX-Method: \(request.method)\r\n")
        case _ where path.hasPrefix("/status/"):
            let code = path.dropFirst(8)
            reply("\(code) Status", "status \(code)")
        case "/chunked":
            send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n")
            send("5;ext=1\r\nhello\r\n")
            send("1")
            send("0\r\n0123456789abcdef\r\n")
            send("6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n")
        case "/split":
            let pieces = ["HTTP/1.1 20", "0 OK\r\nContent-Le", "ngth: 10\r\n", "\r", "\n01234", "56789"]
            for (i, p) in pieces.enumerated() {
                let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(Int64(i * 5))) {
                    ctx.value.writeAndFlush(NIOAny(ByteBuffer(string: p)), promise: nil)
                }
            }
        case "/interim":
            send("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone")
        case "/until-close":
            send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close")
            context.close(promise: nil)
        case "/close":
            reply("200 OK", "bye", extra: "Connection: close\r\n")
            context.close(promise: nil)
        case "/redirect":
            reply("302 Found", "", extra: "Location: /json\r\n")
        case "/redirect-303":
            reply("303 See Other", "", extra: "Location: /echo?from=303\r\n")
        case "/redirect-307":
            reply("307 Temporary Redirect", "", extra: "Location: /echo?from=307\r\n")
        case "/redirect-abs":
            reply("301 Moved Permanently", "", extra: "Location: http://127.0.0.1:\(server.port)/chunked\r\n")
        case "/redirect-localhost":
            reply("302 Found", "", extra: "Location: http://localhost:\(server.port)/json\r\n")
        case "/redirect-https":
            reply("302 Found", "", extra: "Location: https://127.0.0.1:\(server.port)/json\r\n")
        case "/redirect-loop":
            reply("302 Found", "", extra: "Location: /redirect-loop\r\n")
        case "/hang":
            break
        case "/eof":
            context.close(promise: nil)
        case "/reset":
            reset()
        case "/reset-every":
            let n = param("n").flatMap(Int.init) ?? 2
            if count % n == 0 { reset() } else { reply("200 OK", "ok") }
        case "/poll":
            let key = param("id") ?? "m"
            let n = server.state.withLock { s in
                s.pollCount[key, default: 0] += 1
                return s.pollCount[key]!
            }
            let status = n <= 2 ? "training" : "ready"
            reply("200 OK", #"{"id":"\#(key)","status":"\#(status)"}"#, type: "application/json")
        case "/api/datasets" where request.method == "POST":
            let rows = request.body.split(separator: "\n").count - 1
            let ok = request.header("content-type") == "text/csv" && rows > 0
            reply(ok ? "201 Created" : "400 Bad Request",
                  #"{"id":"ds_1","name":"iris","row_count":\#(rows),"columns":["a","target"]}"#, type: "application/json")
        case "/api/models" where request.method == "POST":
            let ok = request.body.contains(#""dataset":"ds_1""#)
            reply(ok ? "202 Accepted" : "422 Unprocessable Entity", #"{"id":"m_1","status":"training"}"#,
                  type: "application/json")
        case "/api/datasets", "/api/models", "/healthz", "/metrics":
            reply("200 OK", "[]", type: "application/json")
        case _ where path.hasPrefix("/api/models/") && path.hasSuffix("/predict"):
            if request.body.hasPrefix("[") {
                let n = request.body.components(separatedBy: "{").count - 1
                let items = Array(repeating: #"{"prediction":"setosa"}"#, count: n).joined(separator: ",")
                reply("200 OK", #"{"predictions":[\#(items)]}"#, type: "application/json")
            } else if request.body.contains("not-a-number") {
                reply("422 Unprocessable Entity", #"{"error":{"code":"invalid_value","message":"bad"}}"#,
                      type: "application/json")
            } else if request.body.contains("petal width (cm)") && !request.body.contains("target") {
                reply("200 OK", #"{"prediction_id":"p_\#(count)","prediction":"setosa","probabilities":{"setosa":0.97}}"#,
                      type: "application/json")
            } else {
                reply("422 Unprocessable Entity", #"{"error":{"code":"missing","message":"bad"}}"#, type: "application/json")
            }
        case _ where path.hasPrefix("/api/models/"):
            let n = server.state.withLock { s in
                s.pollCount[path, default: 0] += 1
                return s.pollCount[path]!
            }
            reply("200 OK", #"{"id":"m_1","status":"\#(n <= 1 ? "training" : "ready")"}"#, type: "application/json")
        case "/big":
            reply("200 OK", String(repeating: "x", count: 65536))
        default:
            reply("200 OK", "ok")
        }
    }
}
