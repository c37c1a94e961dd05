import AnalyzerCore
import Foundation
import Synchronization

/// Per-model sliding windows of recent prediction inputs (``DriftWindow``), in this process.
///
/// Under `serve --workers N` every worker keeps its own windows over the predictions it served;
/// the supervisor's merged `/metrics` takes the largest PSI across workers.
final class DriftMonitor: Sendable {
    let capacity: Int
    let maxAge: Double?
    private let windows = Mutex<[String: DriftWindow]>([:])

    init(capacity: Int, maxAge: Double?) {
        self.capacity = max(1, capacity)
        self.maxAge = maxAge
    }

    /// Seconds on the window clock (wall time).
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Adds predicted rows to `model`'s window (models without a reference are not watched).
    func record(model id: String, trained: TrainedModel, rows: [[String: FeatureValue]]) {
        guard let reference = trained.reference, !rows.isEmpty else { return }
        let now = Self.now()
        let capacity = capacity, maxAge = maxAge
        windows.withLock { windows in
            // One hash of the model id per prediction: the window is updated in place.
            if let index = windows.index(forKey: id) {
                windows.values[index].record(rows, at: now)
            } else {
                var window = DriftWindow(reference: reference, columns: trained.featureColumns, capacity: capacity, maxAge: maxAge)
                window.record(rows, at: now)
                windows[id] = window
            }
        }
    }

    /// The drift of `model`'s window now; nil when the model has no reference. A model that has not
    /// predicted yet reports an empty window.
    func report(model id: String, trained: TrainedModel) -> DriftReport? {
        guard let reference = trained.reference else { return nil }
        let now = Self.now()
        return windows.withLock { windows in
            guard windows[id] != nil else {
                return DriftWindow(reference: reference, columns: trained.featureColumns, capacity: capacity, maxAge: maxAge).report()
            }
            windows[id]!.expire(now: now)
            return windows[id]!.report()
        }
    }

    /// Reports of every watched model (for the gauges).
    func reports() -> [String: DriftReport] {
        let now = Self.now()
        return windows.withLock { windows in
            var out: [String: DriftReport] = [:]
            for id in windows.keys {
                windows[id]!.expire(now: now)
                out[id] = windows[id]!.report()
            }
            return out
        }
    }

    /// Forgets a model's window (deleted model).
    func forget(_ id: String) {
        _ = windows.withLock { $0.removeValue(forKey: id) }
    }

    /// Forgets the windows of models not in `ids`.
    func retain(_ ids: Set<String>) {
        windows.withLock { windows in
            for id in windows.keys where !ids.contains(id) { windows.removeValue(forKey: id) }
        }
    }
}
