/// A drill report file that could not be written; names the path.
public struct DrillReportError: Error, CustomStringConvertible {
    /// The file or directory.
    public let path: String
    /// What went wrong.
    public let message: String

    /// `cannot write <path>: <message>`.
    public var description: String { "cannot write \(path): \(message)" }
}
