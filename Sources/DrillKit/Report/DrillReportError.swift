/// A drill report file that could not be written; names the path.
public struct DrillReportError: Error, CustomStringConvertible {
    /// The file or directory.
    public let path: String
    /// What went wrong.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `cannot write <path>: <message>`.
    public var description: String { "cannot write \(path): \(message)" }
}
