import FiredrillSupport

/// A value a template can insert: a variable, a feeder cell or an extracted JSON value.
public enum TemplateValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    /// A JSON array or object, kept as its JSON text.
    case json(String)

    /// The value as it appears inside a path, header or text body.
    public var text: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return TemplateValue.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .json(let j): return j
        }
    }

    /// The value as a JSON literal.
    public var jsonText: String {
        switch self {
        case .string(let s): return JSONText.quoted(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? TemplateValue.format(d) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .json(let j): return j
        }
    }

    /// Types a CSV cell: integers and decimals become numbers, everything else stays text.
    public init(csvCell cell: String) {
        if let i = Int(cell) {
            self = .int(i)
        } else if let d = Double(cell), d.isFinite, cell.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
                  !cell.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) {
            self = .double(d)
        } else {
            self = .string(cell)
        }
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}
