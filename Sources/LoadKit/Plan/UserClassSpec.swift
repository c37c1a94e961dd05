/// A kind of virtual user: its share of the users, its wait time, `on_start` steps and tasks.
public struct UserClassSpec: Sendable {
    /// Name shown in reports.
    public var name: String
    /// Relative share of users (ignored when `fixedCount` is set).
    public var weight: Int
    /// An exact number of users of this class, taken before weights share the rest.
    public var fixedCount: Int?
    /// Wait after each task (closed model only).
    public var wait: WaitTime
    /// Requests each user sends once when it starts (retried after a failure).
    public var onStart: [RequestSpec]
    /// Weighted tasks.
    public var tasks: [TaskSpec]

    /// Creates a user class.
    public init(
        name: String, weight: Int = 1, fixedCount: Int? = nil, wait: WaitTime = .none,
        onStart: [RequestSpec] = [], tasks: [TaskSpec]
    ) {
        self.name = name
        self.weight = weight
        self.fixedCount = fixedCount
        self.wait = wait
        self.onStart = onStart
        self.tasks = tasks
    }
}
