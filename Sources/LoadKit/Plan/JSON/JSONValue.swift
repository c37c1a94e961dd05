import FiredrillSupport
import Foundation

/// A decoded JSON document, used by checks and extraction.
public enum JSONValue: Sendable, Hashable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Parses JSON bytes; nil when they are not JSON.
    public static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The value as a template value (objects and arrays as compact JSON text).
    public var templateValue: TemplateValue {
        switch self {
        case .string(let s): return .string(s)
        case .number(let d):
            if d == d.rounded(), abs(d) < 9e15 { return .int(Int(d)) }
            return .double(d)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .array, .object: return .json(jsonText)
        }
    }

    /// Compact JSON text (object keys sorted).
    public var jsonText: String {
        switch self {
        case .string(let s): return JSONText.quoted(s)
        case .number: return templateValue.jsonText
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { JSONText.quoted($0) + ":" + o[$0]!.jsonText }
                .joined(separator: ",") + "}"
        }
    }

    /// True when this value equals a scalar from the scenario (numbers compare numerically).
    public func matches(_ expected: TemplateValue) -> Bool {
        switch (self, expected) {
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .int(let b)): return a == Double(b)
        case (.number(let a), .double(let b)): return a == b
        case (.number(let a), .string(let b)): return Double(b) == a
        case (.string(let a), .int(let b)): return a == String(b)
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.array, .json(let j)), (.object, .json(let j)):
            return JSONValue.parse(Array(j.utf8)) == self
        default: return false
        }
    }
}
