/// A hyper-parameter value as it arrives in JSON: number, integer, string, boolean or null.
public enum ParamValue: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A real number (`1.5`).
    case number(Double)
    /// A whole number (`10`; JSON `10.0` may decode as this).
    case int(Int)
    /// Text (`"sqrt"`).
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`: the parameter's "none" value (e.g. no depth limit).
    case null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .number(let d): "\(d)"
        case .int(let i): "\(i)"
        case .string(let s): "\"\(s)\""
        case .bool(let b): "\(b)"
        case .null: "null"
        }
    }

    /// The value as a whole number (an integral `.number` counts).
    var integer: Int? {
        switch self {
        case .int(let i): i
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: Int(d)
        default: nil
        }
    }

    /// The value as a real number (an `.int` counts).
    var real: Double? {
        switch self {
        case .int(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}
