/// An invalid scenario: the file, line and key at fault, and what is wrong.
public struct ScenarioError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The scenario file.
    public var file: String
    /// 1-based line (0 when unknown).
    public var line: Int
    /// 1-based column (0 when unknown).
    public var column: Int = 0
    /// The key path at fault, e.g. `users[0].tasks[1].requests[0].path`.
    public var key: String
    /// What is wrong.
    public var message: String

    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column > 0 ? "\(column):" : "")" : "\(file):"
        return key.isEmpty ? "\(location) \(message)" : "\(location) \(key): \(message)"
    }
}
