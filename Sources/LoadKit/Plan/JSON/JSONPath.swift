import FiredrillSupport

/// A JSONPath subset: `$`, `.name`, `['name']`, `["name"]`, `[index]` (negative counts from the end).
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of the path.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps after `$`.
    public var components: [Component]
    /// The path as written.
    public var description: String

    /// Parses a path; throws a message naming the fault.
    public init(_ text: String) throws(TemplateSyntaxError) {
        description = text
        components = []
        var chars = Substring(text.trimmingASCIIWhitespace())
        guard chars.first == "$" else { throw TemplateSyntaxError(message: "JSON path \"\(text)\" must start with '$'") }
        chars.removeFirst()
        while let c = chars.first {
            if c == "." {
                chars.removeFirst()
                let end = chars.firstIndex(where: { $0 == "." || $0 == "[" }) ?? chars.endIndex
                let key = String(chars[..<end])
                guard !key.isEmpty else { throw TemplateSyntaxError(message: "empty key in JSON path \"\(text)\"") }
                components.append(.key(key))
                chars = chars[end...]
            } else if c == "[" {
                chars.removeFirst()
                guard let close = chars.firstIndex(of: "]") else {
                    throw TemplateSyntaxError(message: "unclosed '[' in JSON path \"\(text)\"")
                }
                let inner = chars[..<close].trimmingASCIIWhitespace()
                if let q = inner.first, q == "'" || q == "\"", inner.count >= 2, inner.last == q {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else if let i = Int(inner) {
                    components.append(.index(i))
                } else {
                    throw TemplateSyntaxError(message: "bad index '[\(inner)]' in JSON path \"\(text)\"")
                }
                chars = chars[chars.index(after: close)...]
            } else {
                throw TemplateSyntaxError(message: "unexpected '\(c)' in JSON path \"\(text)\"")
            }
        }
    }

    /// The value at this path, or nil when absent.
    public func evaluate(_ root: JSONValue) -> JSONValue? {
        var current = root
        for component in components {
            switch (component, current) {
            case (.key(let k), .object(let o)):
                guard let v = o[k] else { return nil }
                current = v
            case (.index(let i), .array(let a)):
                let idx = i < 0 ? a.count + i : i
                guard idx >= 0 && idx < a.count else { return nil }
                current = a[idx]
            default:
                return nil
            }
        }
        return current
    }
}
