/// One MessagePack value (https://github.com/msgpack/msgpack/blob/master/spec.md), as Locust's
/// `msgpack.dumps`/`msgpack.loads` exchange them: maps keep their order and may have any key type.
public enum MsgPackValue: Sendable, Hashable {
    case nil_
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MsgPackValue])
    case map([(MsgPackValue, MsgPackValue)])
    /// An extension type (kept, not interpreted).
    case ext(Int8, [UInt8])

    /// Looks a key up in a map (nil for other values or a missing key).
    public subscript(key: String) -> MsgPackValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.0 == .string(key) }?.1
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as a Double (ints and floats), if this is one.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }

    /// The number as an Int (ints, and floats without a fraction), if this is one.
    public var intValue: Int? {
        switch self {
        case .int(let v): return Int(exactly: v)
        case .uint(let v): return Int(exactly: v)
        case .double(let v): return Int(exactly: v)
        default: return nil
        }
    }

    /// The pairs, if this is a map.
    public var mapValue: [(MsgPackValue, MsgPackValue)]? {
        if case .map(let pairs) = self { return pairs }
        return nil
    }

    /// True for nil.
    public var isNil: Bool { self == .nil_ }

    /// A map with string keys, in the order given.
    public static func object(_ pairs: KeyValuePairs<String, MsgPackValue>) -> MsgPackValue {
        .map(pairs.map { (.string($0.key), $0.value) })
    }

    /// A small integer.
    public static func integer(_ v: Int) -> MsgPackValue { .int(Int64(v)) }

    /// `value` or nil.
    public static func optional(_ v: Double?) -> MsgPackValue { v.map { .double($0) } ?? .nil_ }

    public static func == (a: MsgPackValue, b: MsgPackValue) -> Bool {
        switch (a, b) {
        case (.nil_, .nil_): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.int(let x), .uint(let y)), (.uint(let y), .int(let x)): return x >= 0 && UInt64(x) == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): return x == y
        case (.binary(let x), .binary(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.map(let x), .map(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.ext(let t, let x), .ext(let u, let y)): return t == u && x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .nil_: hasher.combine(0)
        case .bool(let v): hasher.combine(v)
        case .int(let v): hasher.combine(v)
        case .uint(let v): if let i = Int64(exactly: v) { hasher.combine(i) } else { hasher.combine(v) }
        case .double(let v): hasher.combine(v)
        case .string(let v): hasher.combine(v)
        case .binary(let v): hasher.combine(v)
        case .array(let v): hasher.combine(v)
        case .map(let v): hasher.combine(v.count)
        case .ext(let t, let v): hasher.combine(t); hasher.combine(v)
        }
    }
}
