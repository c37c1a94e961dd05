/// Repeats a request until a JSON condition holds (e.g. a model finished training).
public struct PollSpec: Sendable, Hashable {
    /// Conditions that end the polling.
    public var until: [JSONCheck]
    /// Seconds between attempts.
    public var interval: Double
    /// Attempts before the request counts as failed.
    public var maxAttempts: Int

    /// Creates a poll.
    public init(until: [JSONCheck], interval: Double, maxAttempts: Int) {
        self.until = until
        self.interval = interval
        self.maxAttempts = maxAttempts
    }
}
