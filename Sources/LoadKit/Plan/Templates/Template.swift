import FiredrillSupport


/// A string with `${name}` references, compiled against a plan's variables.
public struct Template: Sendable, Hashable {
    /// One literal run or one reference.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case ref(ValueRef)
    }

    /// The parts in order.
    public var parts: [Part]
    /// The text as written in the scenario (used for default request names).
    public var source: String

    /// A template with no references.
    public init(literal: String) {
        parts = literal.isEmpty ? [] : [.literal(literal)]
        source = literal
    }

    /// A template from parts and the text they came from.
    public init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    /// True when the template has no references.
    public var isStatic: Bool {
        parts.allSatisfy { if case .literal = $0 { return true } else { return false } }
    }

    /// The text when static.
    public var literalText: String {
        parts.map { if case .literal(let s) = $0 { return s } else { return "" } }.joined()
    }

    /// The single reference when the template is exactly `${x}`.
    public var soleReference: ValueRef? {
        if parts.count == 1, case .ref(let r) = parts[0] { return r }
        return nil
    }

    /// Splits `text` into literal parts and the raw names inside `${…}`; `$${` escapes a literal `${`.
    public static func tokenize(_ text: String) throws(TemplateSyntaxError) -> [RawPart] {
        var out: [RawPart] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "$" {
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "$",
                   text.index(after: next) < text.endIndex, text[text.index(after: next)] == "{" {
                    literal += "${"
                    i = text.index(after: text.index(after: next))
                    continue
                }
                if next < text.endIndex, text[next] == "{" {
                    guard let close = text[next...].firstIndex(of: "}") else {
                        throw TemplateSyntaxError(message: "unclosed '${' in \"\(text)\"")
                    }
                    let name = String(text[text.index(after: next)..<close]).trimmingASCIIWhitespace()
                    guard !name.isEmpty else { throw TemplateSyntaxError(message: "empty '${}' in \"\(text)\"") }
                    if !literal.isEmpty { out.append(.literal(literal)); literal = "" }
                    out.append(.reference(name))
                    i = text.index(after: close)
                    continue
                }
            }
            literal.append(c)
            i = text.index(after: i)
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    /// A tokenized piece of template text before names are resolved.
    public enum RawPart: Sendable, Equatable {
        case literal(String)
        case reference(String)
    }
}
