import NIOCore
import NIOPosix

/// A ZeroMQ DEALER connection (ZMTP 3, NULL security) to one ROUTER, e.g. Locust's master: the
/// handshake, then whole messages both ways. One connection, no reconnecting of its own (the
/// caller decides when and how often, with its own messages).
public struct ZMTPDealer: Sendable {
    /// Connects, handshakes, runs `body` with the connection, and closes it when `body` returns or throws.
    public static func withConnection<R: Sendable>(
        host: String, port: Int, identity: String, group: EventLoopGroup, timeout: Double,
        _ body: @Sendable (ZMTPInbound, ZMTPOutbound) async throws -> R
    ) async throws -> R {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ZMTPFrameDecoder()))
                    return try NIOAsyncChannel<ZMTPFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        return try await channel.executeThenClose { inbound, _ in
            let out = ZMTPOutbound(channel: raw)
            var iterator = inbound.makeAsyncIterator()
            try await out.raw(ZMTPWriter.greeting())
            try await handshake(&iterator, out: out, identity: identity, timeout: timeout)
            return try await body(ZMTPInbound(iterator: iterator, out: out), out)
        }
    }

    private static func handshake(
        _ it: inout NIOAsyncChannelInboundStream<ZMTPFrame>.AsyncIterator, out: ZMTPOutbound, identity: String,
        timeout: Double
    ) async throws {
        guard case .greeting(let major, let minor, let mechanism)? = try await it.next() else {
            throw ZMTPError(description: "the peer closed the connection before its ZMTP greeting")
        }
        guard mechanism == "NULL" else {
            throw ZMTPError(description: "the peer wants security mechanism \(mechanism) (ZMTP \(major).\(minor)); only NULL is supported")
        }
        try await out.raw(ZMTPWriter.ready(socketType: "DEALER", identity: Array(identity.utf8)))
        guard case .command(let name, let body)? = try await it.next() else {
            throw ZMTPError(description: "the peer closed the connection during the ZMTP handshake")
        }
        if name == "ERROR" {
            throw ZMTPError(description: "the peer refused the handshake: \(String(decoding: body.dropFirst(), as: UTF8.self))")
        }
        guard name == "READY" else { throw ZMTPError(description: "expected READY from the peer, got \(name)") }
        let props = try ZMTPWriter.properties(body)
        let type = props["socket-type"].map { String(decoding: $0, as: UTF8.self) } ?? "?"
        guard type == "ROUTER" else {
            throw ZMTPError(description: "the peer is a ZeroMQ \(type) socket; a DEALER needs a ROUTER (Locust's master)")
        }
    }
}

/// Writes whole messages on a ZMTP connection (safe from several tasks: each message is one write).
/// A send returns once the bytes are in the socket, so a message sent just before the process
/// exits (a worker's last `stats` and `quit`) is not lost with the process.
public struct ZMTPOutbound: Sendable {
    let channel: any Channel

    /// Sends a message of one frame per part.
    public func send(_ parts: [[UInt8]]) async throws {
        try await raw(ZMTPWriter.message(parts))
    }

    func raw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }
}

/// Reads whole messages from a ZMTP connection; answers PING with PONG on the way.
public struct ZMTPInbound {
    var iterator: NIOAsyncChannelInboundStream<ZMTPFrame>.AsyncIterator
    let out: ZMTPOutbound

    /// The next message (its frames), or nil when the peer closed the connection.
    public mutating func next() async throws -> [[UInt8]]? {
        var parts: [[UInt8]] = []
        while let frame = try await iterator.next() {
            switch frame {
            case .message(let body, let more):
                parts.append(body)
                if !more { return parts }
            case .command(let name, let body) where name == "PING":
                // ZMTP 3.1 heartbeat: PONG echoes the context after the 2-byte TTL.
                try await out.raw(ZMTPWriter.command("PONG", body: Array(body.dropFirst(2))))
            case .command, .greeting:
                continue
            }
        }
        return nil
    }
}
