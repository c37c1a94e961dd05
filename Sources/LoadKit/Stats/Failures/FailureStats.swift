/// One failure group.
public struct FailureStats: Sendable, Codable, Hashable {
    /// HTTP method.
    public var method: String
    /// Request name.
    public var name: String
    /// The cause.
    public var error: String
    /// How many times.
    public var occurrences: Int
    /// Unix time of the first occurrence.
    public var firstSeen: Double
    /// Unix time of the last occurrence.
    public var lastSeen: Double
}
