import NIOCore
import NIOPosix

/// The service behind the proxy in the tests, on 127.0.0.1 and a free port: an echo server, an HTTP
/// server (keep-alive; `/big` answers 10,000 bytes, anything else `ok:PATH`), or a source that
/// writes N bytes on connect and closes.
final class TestUpstream: Sendable {
    enum Mode: Sendable { case echo, http, blast(Int) }

    let channel: Channel
    var port: Int { channel.localAddress!.port! }

    init(_ mode: Mode, group: EventLoopGroup) async throws {
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler(mode: mode))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel.close() }
}

private final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let mode: TestUpstream.Mode
    private var pending = ""

    init(mode: TestUpstream.Mode) { self.mode = mode }

    func channelActive(context: ChannelHandlerContext) {
        guard case .blast(let count) = mode else { return }
        // Bytes 0, 1, …, 255, 0, … (copied 256 at a time: a byte-wise loop takes 0.6 s in debug builds).
        let pattern = ByteBuffer(bytes: (0...255).map { UInt8($0) })
        var buffer = context.channel.allocator.buffer(capacity: count)
        while buffer.readableBytes < count { buffer.writeImmutableBuffer(pattern.getSlice(at: 0, length: min(256, count - buffer.readableBytes))!) }
        context.writeAndFlush(NIOAny(buffer)).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch mode {
        case .echo: context.writeAndFlush(NIOAny(buffer), promise: nil)
        case .blast: break
        case .http:
            pending += String(buffer: buffer)
            while let range = pending.range(of: "\r\n\r\n") {
                let head = pending[..<range.lowerBound]
                pending.removeSubrange(..<range.upperBound)
                let parts = head.split(separator: " ")
                let path = parts.count > 1 ? String(parts[1]) : "/"
                let body = path == "/big" ? String(repeating: "b", count: 10_000) : "ok:\(path)"
                context.writeAndFlush(NIOAny(ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)")), promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
