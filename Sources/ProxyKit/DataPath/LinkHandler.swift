import NIOCore

/// The one handler on each side of a proxied connection: hands reads, ends and writability changes
/// to the `ProxyConnection`.
final class LinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let side: ProxyConnection.Side
    let connection: ProxyConnection

    init(side: ProxyConnection.Side, connection: ProxyConnection) {
        self.side = side
        self.connection = connection
    }

    func channelActive(context: ChannelHandlerContext) {
        if side == .client { connection.clientActive() }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.received(side, unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.readComplete(side)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { connection.inputEnded(side) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.inactive(side)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        connection.writabilityChanged(side)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ECONNRESET and friends: this side is gone; the other side is closed through `inactive`.
        context.close(promise: nil)
    }
}

/// Builds the stage of a TCP toxic.
enum ToxicStages {
    static func make(_ spec: ToxicSpec) -> ToxicStage? {
        switch spec.kind {
        case .latency(let latency, let jitter): LatencyStage(name: spec.name, latency: latency, jitter: jitter)
        case .bandwidth(let rate): BandwidthStage(name: spec.name, rate: rate)
        case .slowClose(let delay): SlowCloseStage(name: spec.name, delay: delay)
        case .timeout(let timeout): TimeoutStage(name: spec.name, after: timeout)
        case .resetPeer(let timeout): ResetPeerStage(name: spec.name, after: timeout)
        case .slicer(let average, let variation, let delay): SlicerStage(name: spec.name, average: average, variation: variation, delay: delay)
        case .limitData(let bytes): LimitDataStage(name: spec.name, bytes: bytes)
        case .httpStatus, .httpLatency, .failFirst, .httpAbort: nil
        }
    }
}
