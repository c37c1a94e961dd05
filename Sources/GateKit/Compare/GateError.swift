/// Input that cannot be compared (exit 65): the message names the file and what is wrong.
public struct GateError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
