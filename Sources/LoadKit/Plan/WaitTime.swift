/// How long a user waits after each task, with Locust's meanings.
public enum WaitTime: Sendable, Hashable {
    /// No wait: the next task starts at once.
    case none
    /// A uniformly random wait in `[min, max]` seconds.
    case between(Double, Double)
    /// A fixed wait in seconds.
    case constant(Double)
    /// Start a task every `seconds`: wait `max(0, seconds - task duration)`.
    case constantPacing(Double)
    /// `tasksPerSecond` tasks per second per user (pacing of `1 / tasksPerSecond`).
    case constantThroughput(Double)

    /// The wait after a task that took `taskDuration` seconds.
    public func delay(afterTaskOf taskDuration: Double, using rng: inout some RandomNumberGenerator) -> Double {
        switch self {
        case .none: return 0
        case .between(let lo, let hi): return hi > lo ? Double.random(in: lo...hi, using: &rng) : lo
        case .constant(let s): return s
        case .constantPacing(let s): return max(0, s - taskDuration)
        case .constantThroughput(let rate): return rate > 0 ? max(0, 1 / rate - taskDuration) : 0
        }
    }
}
