import Foundation

/// A JSON string, number or boolean (what fault fields and reports carry).
public enum JSONScalar: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// Converts a `JSONSerialization` value; nil for arrays, objects and null.
    public init?(_ value: Any) {
        switch value {
        case let number as NSNumber:
            // JSONSerialization hands booleans over as NSNumber of Objective-C type `c`/`B`.
            let type = String(cString: number.objCType)
            self = type == "c" || type == "B" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let bool as Bool: self = .bool(bool)
        case let string as String: self = .string(string)
        default: return nil
        }
    }

    var any: Any {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b
        }
    }

    public var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): String(b)
        }
    }
}
