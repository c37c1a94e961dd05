/// Why bytes are not one MessagePack value.
public struct MsgPackError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, with the byte offset.
    public var description: String
}

/// Reads MessagePack: every format of the spec (ext types are kept as `.ext`).
public struct MsgPackDecoder {
    private let bytes: [UInt8]
    private var at = 0
    private static let maxDepth = 64

    /// Decodes exactly one value; trailing bytes are an error (msgpack-python's `ExtraData`).
    public static func decode(_ bytes: [UInt8]) throws(MsgPackError) -> MsgPackValue {
        var d = MsgPackDecoder(bytes: bytes)
        let v = try d.value(depth: 0)
        guard d.at == bytes.count else {
            throw MsgPackError(description: "\(bytes.count - d.at) extra bytes after the value at offset \(d.at)")
        }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func take(_ n: Int) throws(MsgPackError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - at >= n else {
            throw MsgPackError(description: "truncated: needs \(n) bytes at offset \(at), \(bytes.count - at) left")
        }
        defer { at += n }
        return bytes[at ..< at + n]
    }

    private mutating func uint(_ n: Int) throws(MsgPackError) -> UInt64 {
        try take(n).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func str(_ n: Int) throws(MsgPackError) -> MsgPackValue {
        let start = at
        let raw = try take(n)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw MsgPackError(description: "invalid UTF-8 in a string at offset \(start)")
        }
        return .string(s)
    }

    private mutating func array(_ n: Int, depth: Int) throws(MsgPackError) -> MsgPackValue {
        guard n <= bytes.count - at else { throw MsgPackError(description: "array of \(n) items at offset \(at) exceeds the input") }
        var items: [MsgPackValue] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try value(depth: depth + 1)) }
        return .array(items)
    }

    private mutating func map(_ n: Int, depth: Int) throws(MsgPackError) -> MsgPackValue {
        guard n <= bytes.count - at else { throw MsgPackError(description: "map of \(n) pairs at offset \(at) exceeds the input") }
        var pairs: [(MsgPackValue, MsgPackValue)] = []
        pairs.reserveCapacity(n)
        for _ in 0..<n {
            let k = try value(depth: depth + 1)
            pairs.append((k, try value(depth: depth + 1)))
        }
        return .map(pairs)
    }

    private mutating func ext(_ n: Int) throws(MsgPackError) -> MsgPackValue {
        let type = Int8(bitPattern: try take(1).first!)
        return .ext(type, Array(try take(n)))
    }

    private mutating func value(depth: Int) throws(MsgPackError) -> MsgPackValue {
        guard depth < Self.maxDepth else { throw MsgPackError(description: "nested deeper than \(Self.maxDepth) at offset \(at)") }
        let offset = at
        let b = try take(1).first!
        switch b {
        case 0x00...0x7F: return .int(Int64(b))
        case 0x80...0x8F: return try map(Int(b & 0x0F), depth: depth)
        case 0x90...0x9F: return try array(Int(b & 0x0F), depth: depth)
        case 0xA0...0xBF: return try str(Int(b & 0x1F))
        case 0xC0: return .nil_
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4: return .binary(Array(try take(Int(try uint(1)))))
        case 0xC5: return .binary(Array(try take(Int(try uint(2)))))
        case 0xC6: return .binary(Array(try take(Int(try uint(4)))))
        case 0xC7: return try ext(Int(try uint(1)))
        case 0xC8: return try ext(Int(try uint(2)))
        case 0xC9: return try ext(Int(try uint(4)))
        case 0xCA: return .double(Double(Float(bitPattern: UInt32(try uint(4)))))
        case 0xCB: return .double(Double(bitPattern: try uint(8)))
        case 0xCC: return .int(Int64(try uint(1)))
        case 0xCD: return .int(Int64(try uint(2)))
        case 0xCE: return .int(Int64(try uint(4)))
        case 0xCF:
            let v = try uint(8)
            return Int64(exactly: v).map { .int($0) } ?? .uint(v)
        case 0xD0: return .int(Int64(Int8(truncatingIfNeeded: try uint(1))))
        case 0xD1: return .int(Int64(Int16(truncatingIfNeeded: try uint(2))))
        case 0xD2: return .int(Int64(Int32(truncatingIfNeeded: try uint(4))))
        case 0xD3: return .int(Int64(bitPattern: try uint(8)))
        case 0xD4: return try ext(1)
        case 0xD5: return try ext(2)
        case 0xD6: return try ext(4)
        case 0xD7: return try ext(8)
        case 0xD8: return try ext(16)
        case 0xD9: return try str(Int(try uint(1)))
        case 0xDA: return try str(Int(try uint(2)))
        case 0xDB: return try str(Int(try uint(4)))
        case 0xDC: return try array(Int(try uint(2)), depth: depth)
        case 0xDD: return try array(Int(try uint(4)), depth: depth)
        case 0xDE: return try map(Int(try uint(2)), depth: depth)
        case 0xDF: return try map(Int(try uint(4)), depth: depth)
        case 0xE0...0xFF: return .int(Int64(Int8(bitPattern: b)))
        default: throw MsgPackError(description: "0xC1 is never used (offset \(offset))")
        }
    }
}
