/// A column the feature pipeline does not use, and why.
public struct DroppedColumn: Sendable, Equatable, Codable {
    /// Column name.
    public let name: String
    /// Human-readable reason, e.g. `empty column` or `text column with 812 distinct values (limit 100)`.
    public let reason: String
}
