import Foundation
import NIOCore
import NIOHTTP1

/// Carries HTTP/1.1 requests of the API port to `ProxyAPI` and writes its answers back (keep-alive
/// kept, one request at a time per connection, bodies up to 4 MiB).
final class APIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: ProxyAPI
    private var head: HTTPRequestHead?
    private var body = Data()
    private static let maxBody = 4 << 20

    init(api: ProxyAPI) { self.api = api }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
        case .body(let chunk):
            if body.count + chunk.readableBytes <= Self.maxBody { body.append(contentsOf: chunk.readableBytesView) }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, body: body, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, body: Data, context: ChannelHandlerContext) {
        let api = api
        let method = head.method.rawValue, uri = head.uri, version = head.version
        let userAgent = head.headers.first(name: "user-agent")
        let keepAlive = head.isKeepAlive
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        Task {
            let response = await api.handle(method: method, path: uri, body: body, userAgent: userAgent)
            loop.execute { APIHandler.write(response, keepAlive: keepAlive, version: version, context: bound.value) }
        }
    }

    private static func write(_ response: ProxyAPI.Response, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        if response.status != 204 {
            headers.add(name: "Content-Type", value: response.contentType)
            headers.add(name: "Content-Length", value: "\(response.body.utf8.count)")
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if response.status != 204, !response.body.isEmpty {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }
}
