/// A name with a templated value (a header or a query/form field).
public struct NamedTemplate: Sendable, Hashable {
    /// Field name.
    public var name: String
    /// Field value.
    public var value: Template

    /// Creates a pair.
    public init(_ name: String, _ value: Template) {
        self.name = name
        self.value = value
    }

    /// Whether `text` holds a line break or NUL, which in a header name or value would end the
    /// header and inject the rest as another header or request. Checked by Unicode scalar: "\r\n"
    /// is one Character, equal to neither "\r" nor "\n".
    public static func breaksHeaderLine(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }
}
