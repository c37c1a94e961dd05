import Foundation

/// Statistics gathered on one event loop since the last harvest; touched only on that loop.
final class LoopStats {
    /// Most distinct failure messages kept per harvest (the rest are folded into one line).
    static let maxFailureKinds = 200

    /// Per statistics key; raw storage so the hot path pays no copy-on-write or exclusivity checks.
    private let entries: UnsafeMutablePointer<EntryAccumulator>
    private let entryCount: Int
    private var failures: [FailureKey: Occurrences] = [:]
    private var exceptions: [String: Occurrences] = [:]
    var maxLagNanos: UInt64 = 0
    var iterationsStarted = 0
    var iterationsDropped = 0
    /// Open model: microseconds each scheduled request started after its due time.
    var lag: LatencyHistogram?

    init(entryCount: Int) {
        self.entryCount = entryCount
        entries = .allocate(capacity: max(entryCount, 1))
        entries.initialize(repeating: EntryAccumulator(), count: entryCount)
    }

    deinit {
        entries.deinitialize(count: entryCount)
        entries.deallocate()
    }

    @inline(__always)
    func record(stat: Int, micros: UInt64, bytes: Int) {
        entries[stat].record(micros: Swift.max(micros, 1), bytes: bytes, failed: false)
    }

    /// Open model: a scheduled request started `micros` after its due time.
    @inline(__always)
    func recordLag(micros: UInt64) {
        if lag == nil { lag = .latency() }
        _ = lag!.record(micros)
    }

    func recordFailure(stat: Int, micros: UInt64, bytes: Int, message: String) {
        entries[stat].record(micros: Swift.max(micros, 1), bytes: bytes, failed: true)
        let now = Date().timeIntervalSince1970
        var key = FailureKey(stat: stat, message: message)
        if failures[key] == nil && failures.count >= Self.maxFailureKinds {
            key.message = "(other failures: too many distinct messages)"
        }
        failures[key, default: Occurrences(count: 0, first: now, last: now)].add(Occurrences(count: 1, first: now, last: now))
    }

    func recordException(_ message: String) {
        let now = Date().timeIntervalSince1970
        var key = message
        if exceptions[key] == nil && exceptions.count >= Self.maxFailureKinds {
            key = "(other exceptions: too many distinct messages)"
        }
        exceptions[key, default: Occurrences(count: 0, first: now, last: now)].add(Occurrences(count: 1, first: now, last: now))
    }

    /// Returns everything since the last harvest and starts afresh.
    func harvest() -> IntervalSample {
        let current = Array(UnsafeBufferPointer(start: entries, count: entryCount))
        let sample = IntervalSample(
            entries: current, failures: failures, exceptions: exceptions, maxLagNanos: maxLagNanos,
            iterationsStarted: iterationsStarted, iterationsDropped: iterationsDropped, lag: lag)
        for i in 0..<entryCount { entries[i] = EntryAccumulator() }
        failures.removeAll(keepingCapacity: true)
        exceptions.removeAll(keepingCapacity: true)
        maxLagNanos = 0
        iterationsStarted = 0
        iterationsDropped = 0
        lag = nil
        return sample
    }
}
