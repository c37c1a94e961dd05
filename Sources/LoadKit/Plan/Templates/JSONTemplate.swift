/// A JSON document whose strings may hold templates.
public indirect enum JSONTemplate: Sendable, Hashable {
    case object([JSONMember])
    case array([JSONTemplate])
    case string(Template)
    /// A number, boolean or null written as-is.
    case literal(String)

    var isStatic: Bool {
        switch self {
        case .object(let m): return m.allSatisfy { $0.key.isStatic && $0.value.isStatic }
        case .array(let a): return a.allSatisfy(\.isStatic)
        case .string(let t): return t.isStatic
        case .literal: return true
        }
    }
}

/// One member of a JSON object template.
public struct JSONMember: Sendable, Hashable {
    /// Member name.
    public var key: Template
    /// Member value.
    public var value: JSONTemplate
}
