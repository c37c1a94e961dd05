/// A runbook or drill block is malformed; described as `file:line: key.path: message`.
public struct DrillError: Error, Equatable, CustomStringConvertible {
    /// The Markdown file, as given to the parser.
    public let file: String
    /// The 1-based line in the Markdown file; 0 for the whole file (e.g. it cannot be read).
    public let line: Int
    /// The key path inside the drill block (`method[2].expect_alert.within`), empty for file-level errors.
    public let path: String
    /// What is wrong, and how to fix it when that is known.
    public let message: String

    /// Creates an error at `file:line`, for the key `path`.
    public init(file: String, line: Int, path: String = "", message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    /// `file:line: key.path: message` (`file:line: message` without a path, `file: message` for line 0).
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}
