/// A serialised model that cannot be read: wrong magic, unsupported version, truncated or
/// inconsistent data.
public struct ModelFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the data.
    public let message: String

    /// An error explaining `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { "invalid_model: \(message)" }
}
