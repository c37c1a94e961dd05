/// Writes MessagePack with the smallest encoding of each value, as msgpack-python does
/// (strings as `str`, bytes as `bin`, floats as float 64).
public enum MsgPackEncoder {
    /// The bytes of `value`.
    public static func encode(_ value: MsgPackValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, to: &out)
        return out
    }

    static func write(_ value: MsgPackValue, to out: inout [UInt8]) {
        switch value {
        case .nil_: out.append(0xC0)
        case .bool(let b): out.append(b ? 0xC3 : 0xC2)
        case .int(let v): writeInt(v, to: &out)
        case .uint(let v):
            if let i = Int64(exactly: v) { writeInt(i, to: &out) } else { out.append(0xCF); be(v, 8, &out) }
        case .double(let d): out.append(0xCB); be(d.bitPattern, 8, &out)
        case .string(let s):
            let bytes = Array(s.utf8)
            header(bytes.count, fix: (0xA0, 31), tags: (0xD9, 0xDA, 0xDB), &out)
            out += bytes
        case .binary(let bytes):
            header(bytes.count, fix: nil, tags: (0xC4, 0xC5, 0xC6), &out)
            out += bytes
        case .array(let items):
            header(items.count, fix: (0x90, 15), tags: (nil, 0xDC, 0xDD), &out)
            for item in items { write(item, to: &out) }
        case .map(let pairs):
            header(pairs.count, fix: (0x80, 15), tags: (nil, 0xDE, 0xDF), &out)
            for (k, v) in pairs {
                write(k, to: &out)
                write(v, to: &out)
            }
        case .ext(let type, let data):
            switch data.count {
            case 1: out.append(0xD4)
            case 2: out.append(0xD5)
            case 4: out.append(0xD6)
            case 8: out.append(0xD7)
            case 16: out.append(0xD8)
            default: header(data.count, fix: nil, tags: (0xC7, 0xC8, 0xC9), &out)
            }
            out.append(UInt8(bitPattern: type))
            out += data
        }
    }

    private static func writeInt(_ v: Int64, to out: inout [UInt8]) {
        switch v {
        case 0...0x7F: out.append(UInt8(v))
        case -32 ..< 0: out.append(UInt8(bitPattern: Int8(v)))
        case 0x80...0xFF: out.append(0xCC); out.append(UInt8(v))
        case 0x100...0xFFFF: out.append(0xCD); be(UInt64(v), 2, &out)
        case 0x1_0000...0xFFFF_FFFF: out.append(0xCE); be(UInt64(v), 4, &out)
        case 0x1_0000_0000...: out.append(0xCF); be(UInt64(v), 8, &out)
        case -0x80 ..< -32: out.append(0xD0); out.append(UInt8(bitPattern: Int8(v)))
        case -0x8000 ..< -0x80: out.append(0xD1); be(UInt64(bitPattern: v), 2, &out)
        case -0x8000_0000 ..< -0x8000: out.append(0xD2); be(UInt64(bitPattern: v), 4, &out)
        default: out.append(0xD3); be(UInt64(bitPattern: v), 8, &out)
        }
    }

    /// A length header: the fix form when it fits, else the 8/16/32-bit tag.
    private static func header(
        _ n: Int, fix: (UInt8, Int)?, tags: (UInt8?, UInt8, UInt8), _ out: inout [UInt8]
    ) {
        if let fix, n <= fix.1 {
            out.append(fix.0 | UInt8(n))
        } else if let t8 = tags.0, n <= 0xFF {
            out.append(t8); out.append(UInt8(n))
        } else if n <= 0xFFFF {
            out.append(tags.1); be(UInt64(n), 2, &out)
        } else {
            out.append(tags.2); be(UInt64(n), 4, &out)
        }
    }

    /// Appends the low `bytes` bytes of `v`, big-endian.
    static func be(_ v: UInt64, _ bytes: Int, _ out: inout [UInt8]) {
        for i in stride(from: bytes - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }
}
