import AnalyzerCore
import Synchronization

/// The last few thousand predictions this process served (id → model and output), so that
/// feedback sent right after a prediction resolves before the prediction log's background write,
/// and at all when the prediction log is off.
final class RecentPredictions: Sendable {
    struct Entry: Sendable {
        let model: String
        let label: String?
        let value: Double?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var next = 0
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
        state.withLock { state in
            for i in first..<count {
                let entry = Entry(model: model, label: predictions[i].label, value: predictions[i].value)
                if state.order.count < capacity {
                    state.order.append(ids[i])
                } else {
                    state.entries.removeValue(forKey: state.order[state.next])
                    state.order[state.next] = ids[i]
                    state.next = (state.next + 1) % capacity
                }
                state.entries[ids[i]] = entry
            }
        }
    }

    /// The prediction with this id, if still remembered.
    func lookup(_ id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }
}
