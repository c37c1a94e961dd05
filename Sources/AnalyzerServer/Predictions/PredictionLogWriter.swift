import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging
import Prometheus
import Synchronization

/// Writes the prediction log in the background: `record` only appends to a bounded in-memory
/// queue (it never waits, never fails a prediction); a loop writes the queue to the store in batches
/// of up to `batchSize` entries every ~100 ms, at once while a full batch is waiting. When the queue is full or
/// the store fails (database down), entries are dropped, counted in
/// `csv_analyzer_prediction_log_dropped_total` and reported in the log at most every 10 s.
final class PredictionLogWriter: Sendable {
    /// A prediction waiting to be written; JSON encoding happens in the writer, off the request path.
    struct Pending: Sendable {
        let id: String
        let model: String
        let createdAt: Double
        let row: [String: FeatureValue]
        let prediction: Prediction
    }

    private struct State {
        var queue: [Pending] = []
        var closing = false
        var droppedSinceReport = 0
        var lastReport = ContinuousClock.now - .seconds(60)
    }

    let capacity: Int
    let batchSize: Int
    let interval: Duration
    private let store: any Store
    private let logger: Logger
    private let state = Mutex(State())
    private let loop = Mutex<Task<Void, Never>?>(nil)
    private let written: Counter
    private let dropped: Counter

    init(
        store: any Store, metrics: ServiceMetrics, logger: Logger, capacity: Int = 50_000, batchSize: Int = 2_000,
        interval: Duration = .milliseconds(100)
    ) {
        self.store = store
        self.logger = logger
        self.capacity = capacity
        self.batchSize = batchSize
        self.interval = interval
        written = metrics.registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "csv_analyzer", metricName: "prediction_log_written", unitName: "total",
                helpText: "Predictions written to the prediction log."))
        dropped = metrics.registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "csv_analyzer", metricName: "prediction_log_dropped", unitName: "total",
                helpText: "Predictions not logged because the queue was full or the store failed."))
        loop.withLock { $0 = Task { await self.run() } }
    }

    /// Fresh prediction ids (the API's `prediction_id`): time-ordered UUIDs, see ``PredictionID``.
    static func makeIDs(_ count: Int) -> [String] {
        PredictionID.make(count)
    }

    /// Queues one entry per prediction; drops what does not fit.
    func record(model: String, rows: [[String: FeatureValue]], predictions: [Prediction], ids: [String]) {
        let now = Date().timeIntervalSince1970
        let count = min(rows.count, predictions.count, ids.count)
        let overflow = state.withLock { state -> Int in
            guard !state.closing else { return count }
            let room = max(0, capacity - state.queue.count)
            let accepted = min(room, count)
            for i in 0..<accepted {
                state.queue.append(Pending(id: ids[i], model: model, createdAt: now, row: rows[i], prediction: predictions[i]))
            }
            return count - accepted
        }
        if overflow > 0 { drop(overflow, reason: "the prediction log queue is full (\(capacity) entries)") }
    }

    /// Writes what is queued, then stops the loop (called on shutdown, before the store closes).
    func close() async {
        state.withLock { $0.closing = true }
        let task = loop.withLock { $0 }
        await task?.value
    }

    private func run() async {
        while true {
            let (batch, closing, more) = state.withLock { state -> ([Pending], Bool, Bool) in
                let batch: [Pending]
                if state.queue.count <= batchSize {
                    // The usual case: take the whole queue without copying it.
                    batch = state.queue
                    state.queue = []
                    state.queue.reserveCapacity(batch.count)
                } else {
                    batch = Array(state.queue.prefix(batchSize))
                    state.queue.removeFirst(batchSize)
                }
                return (batch, state.closing, state.queue.count >= batchSize)
            }
            if !batch.isEmpty { await write(batch) }
            if closing && batch.isEmpty { return }
            if !more && !closing { try? await Task.sleep(for: interval) }
        }
    }

    private func write(_ batch: [Pending]) async {
        let entries = Self.encode(batch)
        do {
            try await store.insertPredictionLog(entries)
            written.increment(by: Int64(entries.count))
        } catch {
            drop(batch.count, reason: "\(error)")
        }
    }

    private func drop(_ count: Int, reason: String) {
        dropped.increment(by: Int64(count))
        let report = state.withLock { state -> Int? in
            state.droppedSinceReport += count
            guard ContinuousClock.now - state.lastReport >= .seconds(10) else { return nil }
            state.lastReport = .now
            defer { state.droppedSinceReport = 0 }
            return state.droppedSinceReport
        }
        if let report {
            logger.warning("prediction log entries dropped", metadata: ["count": "\(report)", "reason": "\(reason)"])
        }
    }

    /// Renders each entry's input and output as JSON text. Hand-written rather than JSONEncoder:
    /// this runs for every prediction, and Foundation's encoder cost more than the insert itself.
    /// Keys are sorted, as JSONEncoder's `.sortedKeys` would write them.
    static func encode(_ batch: [Pending]) -> [PredictionLogEntry] {
        batch.map { pending in
            PredictionLogEntry(
                id: pending.id, modelId: pending.model, createdAt: pending.createdAt,
                inputsJSON: LogJSON.object(pending.row), outputJSON: LogJSON.prediction(pending.prediction))
        }
    }
}
