/// A serialised model that cannot be read: wrong magic, unsupported version, truncated or
/// inconsistent data.
public struct ModelFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "invalid_model: \(message)" }
}
