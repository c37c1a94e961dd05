/// A malformed `${…}` in a template.
public struct TemplateSyntaxError: Error, Sendable {
    /// What is wrong.
    public var message: String
}
