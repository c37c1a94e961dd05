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
}
