/// One completed change of the user count.
public struct RampRecord: Sendable, Codable, Hashable {
    /// The user count reached.
    public var users: Int
    /// Seconds from the start when the change began.
    public var startedAt: Double
    /// Seconds from the start when the last user was started (or stopped).
    public var reachedAt: Double
}
