/// One kind of scenario error.
public struct ExceptionStats: Sendable, Codable, Hashable {
    /// The message.
    public var message: String
    /// How many times.
    public var count: Int
}
