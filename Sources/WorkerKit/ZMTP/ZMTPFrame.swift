import NIOCore

/// What arrives on a ZMTP 3.x connection (https://rfc.zeromq.org/spec/23/): the peer's greeting,
/// then commands (READY, PING…) and message frames.
public enum ZMTPFrame: Sendable, Equatable {
    /// The 64-byte greeting: version and security mechanism.
    case greeting(major: UInt8, minor: UInt8, mechanism: String)
    /// A command: its name and body (READY's body is its metadata properties).
    case command(name: String, body: [UInt8])
    /// One frame of a message; `more` when further frames of the same message follow.
    case message([UInt8], more: Bool)
}

/// Why a peer's bytes are not ZMTP 3.
public struct ZMTPError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public var description: String
}

/// The bytes firedrill writes: greeting (NULL mechanism, as client), READY, message frames.
public enum ZMTPWriter {
    /// Our greeting: signature, version 3.0, mechanism NULL, as-server 0.
    public static func greeting() -> [UInt8] {
        var g: [UInt8] = [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0]
        var mechanism = Array("NULL".utf8)
        mechanism += Array(repeating: 0, count: 20 - mechanism.count)
        g += mechanism
        g.append(0)  // as-server
        g += Array(repeating: 0, count: 31)
        return g
    }

    /// A command frame.
    public static func command(_ name: String, body: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8)
        return frame([UInt8(nameBytes.count)] + nameBytes + body, flags: 0x04)
    }

    /// READY with its Socket-Type and (for a DEALER) Identity properties.
    public static func ready(socketType: String, identity: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in [("Socket-Type", Array(socketType.utf8)), ("Identity", identity)] {
            body.append(UInt8(name.utf8.count))
            body += Array(name.utf8)
            MsgPackEncoder.be(UInt64(value.count), 4, &body)
            body += value
        }
        return command("READY", body: body)
    }

    /// A message of one or more frames.
    public static func message(_ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, p) in parts.enumerated() { out += frame(p, flags: i < parts.count - 1 ? 0x01 : 0) }
        return out
    }

    static func frame(_ body: [UInt8], flags: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        if body.count <= 0xFF {
            out = [flags, UInt8(body.count)]
        } else {
            out = [flags | 0x02]
            MsgPackEncoder.be(UInt64(body.count), 8, &out)
        }
        return out + body
    }

    /// Parses READY's (or any command's) metadata properties.
    public static func properties(_ body: [UInt8]) throws(ZMTPError) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        var i = 0
        while i < body.count {
            let n = Int(body[i])
            guard i + 1 + n + 4 <= body.count else { throw ZMTPError(description: "truncated property in READY") }
            let name = String(decoding: body[(i + 1)..<(i + 1 + n)], as: UTF8.self)
            i += 1 + n
            let len = body[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) }
            i += 4
            guard len >= 0, i + len <= body.count else { throw ZMTPError(description: "truncated value of '\(name)' in READY") }
            out[name.lowercased()] = Array(body[i..<(i + len)])
            i += len
        }
        return out
    }
}

/// Splits the byte stream into the greeting, then frames. Frames above `maxFrame` bytes are refused.
public struct ZMTPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ZMTPFrame
    private var greeted = false
    let maxFrame: Int

    /// A decoder refusing frames above `maxFrame` bytes.
    public init(maxFrame: Int = 64 << 20) { self.maxFrame = maxFrame }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try next(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    /// The next frame in `buffer`, or nil when more bytes are needed.
    public mutating func next(_ buffer: inout ByteBuffer) throws(ZMTPError) -> ZMTPFrame? {
        if !greeted {
            if let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), first != 0xFF {
                throw ZMTPError(description: "not a ZeroMQ peer (first byte 0x\(String(first, radix: 16)), expected 0xFF)")
            }
            if buffer.readableBytes >= 10, buffer.getInteger(at: buffer.readerIndex + 9, as: UInt8.self)! & 1 != 1 {
                throw ZMTPError(description: "not a ZeroMQ peer (bad signature)")
            }
            if buffer.readableBytes >= 11, let major = buffer.getInteger(at: buffer.readerIndex + 10, as: UInt8.self), major < 3 {
                throw ZMTPError(description: "the peer speaks ZMTP \(major).x; ZMTP 3.x (libzmq 4) is needed")
            }
            guard let g = buffer.readBytes(length: 64) else { return nil }
            greeted = true
            let mech = String(decoding: g[12..<32].prefix { $0 != 0 }, as: UTF8.self)
            return .greeting(major: g[10], minor: g[11], mechanism: mech)
        }
        guard let flags = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        let long = flags & 0x02 != 0
        let headerSize = long ? 9 : 2
        guard buffer.readableBytes >= headerSize else { return nil }
        let size: Int
        if long {
            let s = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt64.self)!
            guard s <= UInt64(maxFrame) else { throw ZMTPError(description: "frame of \(s) bytes is above the \(maxFrame)-byte limit") }
            size = Int(s)
        } else {
            size = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)!)
        }
        guard buffer.readableBytes >= headerSize + size else { return nil }
        buffer.moveReaderIndex(forwardBy: headerSize)
        let body = buffer.readBytes(length: size)!
        if flags & 0x04 != 0 {
            guard let n = body.first.map(Int.init), body.count >= 1 + n else { throw ZMTPError(description: "empty command frame") }
            return .command(name: String(decoding: body[1..<(1 + n)], as: UTF8.self), body: Array(body[(1 + n)...]))
        }
        return .message(body, more: flags & 0x01 != 0)
    }
}
