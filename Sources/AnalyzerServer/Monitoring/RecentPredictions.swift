import AnalyzerCore
import Synchronization

/// The last few thousand predictions this process served (id → model and output), so that
/// feedback sent right after a prediction resolves before the prediction log's background write,
/// and at all when the prediction log is off.
///
/// Recording is the prediction path, so it only writes into a ring buffer (no hashing); the
/// id → slot index is brought up to date when feedback looks an id up, which pays for the hashing
/// of the predictions made since the last lookup.
final class RecentPredictions: Sendable {
    struct Entry: Sendable {
        let model: String
        let label: String?
        let value: Double?
    }

    private struct Slot {
        var id: String
        var entry: Entry
    }

    private struct State {
        /// Ring of the last `capacity` predictions; prediction number `n` sits at `n % capacity`.
        var ring: [Slot] = []
        /// Predictions recorded so far (the next prediction's number).
        var recorded = 0
        /// id → prediction number, for numbers below `indexed` (may hold numbers already overwritten).
        var index: [String: Int] = [:]
        var indexed = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Remembers the predictions (only the last `capacity` of a large batch).
    func record(model: String, predictions: [Prediction], ids: [String]) {
        let count = min(predictions.count, ids.count)
        guard count > 0 else { return }
        let first = max(0, count - capacity)
        let capacity = capacity
        state.withLock { state in
            for i in first..<count {
                let slot = Slot(id: ids[i], entry: Entry(model: model, label: predictions[i].label, value: predictions[i].value))
                if state.ring.count < capacity {
                    state.ring.append(slot)
                } else {
                    state.ring[state.recorded % capacity] = slot
                }
                state.recorded += 1
            }
        }
    }

    /// The prediction with this id, if still remembered.
    func lookup(_ id: String) -> Entry? {
        let capacity = capacity
        return state.withLock { state in
            let oldest = max(0, state.recorded - capacity)
            if state.index.count > 2 * capacity {
                // Forget numbers that have left the ring.
                state.index = state.index.filter { $0.value >= oldest }
            }
            for number in max(state.indexed, oldest)..<state.recorded {
                state.index[state.ring[number % capacity].id] = number
            }
            state.indexed = state.recorded
            guard let number = state.index[id], number >= oldest else { return nil }
            let slot = state.ring[number % capacity]
            return slot.id == id ? slot.entry : nil
        }
    }
}
