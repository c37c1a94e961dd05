import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server that answers every request with 200 after a fixed delay: a target whose
/// speed a test chooses.
final class DelayServer: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel

    /// Starts on a free port of 127.0.0.1, answering after `delayMs`.
    init(delayMs: Int64) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let delay = TimeAmount.milliseconds(delayMs)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(DelayHandler(delay: delay))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class DelayHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let delay: TimeAmount

    init(delay: TimeAmount) { self.delay = delay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: delay) {
            let context = loopBound.value
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "2")
            context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        }
    }
}
