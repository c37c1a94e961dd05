/// A weighted sequence of requests: a user runs all of them in order, then waits.
public struct TaskSpec: Sendable {
    /// Name shown in reports.
    public var name: String
    /// Relative frequency.
    public var weight: Int
    /// Tags for `--tags` / `--exclude-tags`.
    public var tags: [String]
    /// The requests, in order; a failed request ends the iteration.
    public var requests: [RequestSpec]

    /// Creates a task.
    public init(name: String, weight: Int = 1, tags: [String] = [], requests: [RequestSpec]) {
        self.name = name
        self.weight = weight
        self.tags = tags
        self.requests = requests
    }
}
