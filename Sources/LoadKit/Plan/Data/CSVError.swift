/// A problem in a CSV file, with its 1-based line.
public struct CSVError: Error, Sendable {
    /// The line at fault.
    public var line: Int
    /// What is wrong.
    public var message: String
}
