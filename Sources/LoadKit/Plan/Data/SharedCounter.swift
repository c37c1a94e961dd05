import Synchronization

/// A counter shared across event loops.
final class SharedCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// Returns the current value and increments it.
    func next() -> Int {
        value.add(1, ordering: .relaxed).oldValue
    }
}
