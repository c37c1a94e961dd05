import AnalyzerCore
import AnalyzerStore
import Foundation

/// Predictions: `generate_features` and the model, under the memory budget and the faults.
extension Analyzer {
    /// Predicts each row, recording latency and counts. Runs the configured `generate_features`
    /// under the memory budget and applies a `model_degrade` fault.
    /// `lines` maps row indices to CSV line numbers so errors name the line.
    /// `predictionIDs` (one per row) are the ids the prediction log records; the API passes the ids
    /// it returns, other callers let them be made here. `file`/`function` name the caller in a
    /// `MemoryError` trace.
    func predict(
        modelID: String, rows: [[String: FeatureValue]], lines: [Int]? = nil, predictionIDs: [String]? = nil,
        file: String = #fileID, function: String = #function
    ) async throws -> (TrainedModel, [Prediction]) {
        let model = try await trainedModel(modelID)
        let predictions = try predict(
            loaded: model, modelID: modelID, rows: rows, lines: lines, predictionIDs: predictionIDs, file: file, function: function)
        return (model, predictions)
    }

    /// The model `id` if it is loaded in memory (no store or file access, no suspension): the
    /// prediction route's fast path; ``trainedModel(_:)`` loads the others.
    func loadedModel(_ id: String) -> TrainedModel? {
        loadedModels.withLock { $0[id] }
    }

    /// ``predict(modelID:rows:lines:predictionIDs:file:function:)`` with the model in hand:
    /// synchronous, so that the single-row route does not pay for suspension points and async
    /// frames around the model once the body is read.
    func predict(
        loaded model: TrainedModel, modelID: String, rows: [[String: FeatureValue]], lines: [Int]? = nil,
        predictionIDs: [String]? = nil, file: String = #fileID, function: String = #function
    ) throws -> [Prediction] {
        let start = ContinuousClock.now
        let legacy = runtime.legacyGenerator()
        // The trace names the caller, this method and generate_features (the error log's frames);
        // built only when the budget refuses.
        let calls = { [MemoryError.Frame(file: file, function: function), MemoryError.Frame(function: "predict")] }
        do {
            if let legacy {
                try legacy.reserve(rows: rows.count, width: model.pipeline.width, calls: calls())
            } else {
                let operation = LegacyFeatureGenerator.operation
                try runtime.budget.reserve(
                    Int64(rows.count * model.pipeline.width * MemoryLayout<Double>.stride), for: operation,
                    frames: calls() + [MemoryError.Frame(function: operation)])
            }
        } catch {
            metrics.memoryErrors.increment()
            runtime.errorLog.write(
                "\(error.description) (model \(modelID), \(rows.count) rows, \(legacy == nil ? "patched" : "legacy") implementation)",
                trace: error.trace)
            logger.error("MemoryError in generate_features", metadata: ["model": "\(modelID)", "error": "\(error.description)"])
            throw AnalyzerError(.failed, code: "memory_error", error.description)
        }
        var predictions: [Prediction]
        do {
            if let legacy {
                predictions = try model.predict(rows: rows, using: legacy)
            } else if rows.count == 1 {
                predictions = [try model.predict(rows[0])]
            } else {
                predictions = try model.predict(rows: rows)
            }
        } catch {
            if let row = error.row, let lines, row < lines.count {
                throw AnalyzerError.invalid(error.code.rawValue, "line \(lines[row]): \(error.message)")
            }
            throw AnalyzerError.invalid(error.code.rawValue, error.message)
        }
        if let fault = runtime.faults.active(.modelDegrade).first(where: { $0.model == nil || $0.model == modelID }) {
            predictions = predictions.map { fault.fires() ? Self.noise(like: $0, model: model) : $0 }
        }
        metrics.predictionDuration.record(ContinuousClock.now - start)
        metrics.recordPredictions(model: modelID, count: predictions.count)
        predictionLog?.record(
            model: modelID, rows: rows, predictions: predictions, ids: predictionIDs ?? PredictionLogWriter.makeIDs(predictions.count))
        monitorPredictions(modelID: modelID, model: model, rows: rows, predictions: predictions, ids: predictionIDs)
        return predictions
    }

    /// A random prediction of the same shape (the `model_degrade` fault).
    static func noise(like prediction: Prediction, model: TrainedModel) -> Prediction {
        if !model.classes.isEmpty {
            let weights = model.classes.map { _ in Double.random(in: 0..<1) }
            let total = weights.reduce(0, +)
            let probabilities = Dictionary(uniqueKeysWithValues: zip(model.classes, weights.map { $0 / total }))
            return Prediction(label: model.classes.randomElement(), probabilities: probabilities, value: nil)
        }
        let value = prediction.value ?? 0
        return Prediction(label: nil, probabilities: nil, value: value + Double.random(in: -1...1) * max(1, abs(value)) * 3)
    }
}
