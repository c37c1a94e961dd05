/// One failure group: a row of Locust's failures table (`errors[]` of `/stats/requests`, `failures` of the
/// JSON summary). Its keys are Locust's (`first_seen`, `last_seen`) with any encoder.
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

    enum CodingKeys: String, CodingKey {
        case method, name, error, occurrences, firstSeen = "first_seen", lastSeen = "last_seen"
    }
}
