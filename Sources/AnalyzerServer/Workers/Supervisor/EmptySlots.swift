import Foundation

/// Which worker slots to refill: a slot below the desired count with no worker (its replacement
/// failed to start, e.g. the binary changed on disk) is retried once it has stayed empty for
/// `initialDelay`, then with a doubling delay (at most `maximumDelay`) until a worker holds it.
/// The delay leaves the supervisor's own restart (with its crash backoff) time to fill the slot.
struct EmptySlots {
    let initialDelay: TimeInterval
    let maximumDelay: TimeInterval
    private var emptySince: [Int: Date] = [:]
    private var delay: [Int: TimeInterval] = [:]

    init(initialDelay: TimeInterval = 10, maximumDelay: TimeInterval = 120) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The slots to refill now, given the slots that have a starting or serving worker.
    mutating func due(live: Set<Int>, desired: Int, now: Date) -> [Int] {
        var due: [Int] = []
        for slot in emptySince.keys where slot >= desired { emptySince[slot] = nil }
        for slot in 0..<max(0, desired) {
            guard !live.contains(slot) else {
                emptySince[slot] = nil
                delay[slot] = nil
                continue
            }
            let since = emptySince[slot] ?? now
            let wait = delay[slot] ?? initialDelay
            if now.timeIntervalSince(since) >= wait {
                due.append(slot)
                emptySince[slot] = nil
                delay[slot] = min(wait * 2, maximumDelay)
            } else {
                emptySince[slot] = since
            }
        }
        return due
    }
}
