/// A replay that cannot start: an unreadable or empty log, a bad window, rewrite or field name.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file, line or flag.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
