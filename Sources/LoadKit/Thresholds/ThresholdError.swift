/// A threshold expression that does not parse.
public struct ThresholdError: Error, Sendable, CustomStringConvertible {
    /// The expression.
    public var expression: String
    /// What is wrong.
    public var message: String

    public var description: String { "bad threshold \"\(expression)\": \(message)" }
}
