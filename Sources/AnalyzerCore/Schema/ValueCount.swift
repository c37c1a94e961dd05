/// One value and how many rows hold it.
public struct ValueCount: Codable, Sendable, Equatable {
    public var value: String
    public var count: Int
}
