/// What one event loop measured during one interval.
struct IntervalSample: Sendable {
    var entries: [EntryAccumulator]
    var failures: [FailureKey: Occurrences]
    var exceptions: [String: Occurrences]
    var maxLagNanos: UInt64
    var iterationsStarted: Int
    var iterationsDropped: Int
    var lag: LatencyHistogram? = nil
}
