import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging

/// Model monitoring: drift of live inputs, live quality from feedback, the monitoring gauges.
/// (Versions and retraining, training runs and MLflow are in Models/.)
extension Analyzer {
    // MARK: Prediction path

    /// Adds served rows to the model's drift window and remembers the predictions for feedback.
    /// `ids` are the prediction ids the client was given (nil: none was returned, e.g. HTML form).
    func monitorPredictions(modelID: String, model: TrainedModel, rows: [[String: FeatureValue]], predictions: [Prediction], ids: [String]?) {
        monitoring.drift.record(model: modelID, trained: model, rows: rows)
        if let ids { monitoring.recent.record(model: modelID, predictions: predictions, ids: ids) }
    }

    // MARK: Drift

    /// The drift of `id`'s live window; publishes its gauges too.
    func driftReport(_ id: String) async throws -> DriftReport {
        let model = try await trainedModel(id)
        guard let report = monitoring.drift.report(model: id, trained: model) else {
            throw AnalyzerError(.conflict, code: "no_reference",
                "model '\(id)' was trained before drift monitoring and has no training reference; retrain it (POST /api/models/\(id)/retrain)")
        }
        publishDrift(id, report)
        return report
    }

    private func publishDrift(_ id: String, _ report: DriftReport) {
        monitoring.metrics.setDrift(model: id, report: report.windowSize >= monitoring.settings.driftMinimumRows ? report : nil)
    }

    // MARK: Feedback and live quality

    /// Stores true labels/values of earlier predictions of model `id` and returns the updated live
    /// quality. Each prediction is found among this process's recent predictions, else in the
    /// prediction log (written in the background by whichever worker served it: a prediction made a
    /// moment ago is waited for, up to ~2 s). All items are checked before any is stored.
    func submitFeedback(_ id: String, items: [FeedbackItem]) async throws -> (accepted: Int, live: LiveQualityReport) {
        let record = try await model(id)
        let isClassification = record.task == ModelTask.classification.rawValue
        let deadline = ContinuousClock.now + .seconds(2)
        let now = Date().timeIntervalSince1970
        var feedback: [FeedbackRecord] = []
        feedback.reserveCapacity(items.count)
        for item in items {
            guard let prediction = try await resolvePrediction(item.predictionID, deadline: deadline) else {
                throw AnalyzerError(.notFound, code: "prediction_not_found",
                    "\(item.path): no prediction with id '\(item.predictionID)'"
                        + (predictionLog == nil ? " among this process's recent predictions (the prediction log is off)" : ""))
            }
            guard prediction.model == id else {
                throw AnalyzerError.invalid(
                    "prediction_model_mismatch", "\(item.path): prediction '\(item.predictionID)' was made by model '\(prediction.model)', not '\(id)'")
            }
            let field = String(item.path.dropLast("prediction_id".count))
            if isClassification {
                guard let label = item.label ?? item.value.map(FeedbackItem.category) else {
                    throw AnalyzerError.invalid("missing_field", "field '\(field)label' is required: model '\(id)' is a classifier")
                }
                feedback.append(FeedbackRecord(
                    predictionId: item.predictionID, modelId: id, label: label, createdAt: now, predictedLabel: prediction.label))
            } else {
                guard let value = item.value ?? item.label.flatMap({ CSVNumber.parse($0)?.value }) else {
                    throw AnalyzerError.invalid("missing_field", "field '\(field)value' is required (a number): model '\(id)' is a regressor")
                }
                feedback.append(FeedbackRecord(
                    predictionId: item.predictionID, modelId: id, value: value, createdAt: now, predictedValue: prediction.value))
            }
        }
        for entry in feedback { try await store.upsertFeedback(entry) }
        monitoring.metrics.recordFeedback(model: id, count: feedback.count)
        let live = try await liveQuality(record)
        logger.debug("feedback stored", metadata: ["model": "\(id)", "labels": "\(feedback.count)"])
        return (feedback.count, live)
    }

    /// The live quality of model `id` (also publishes its gauges).
    func liveQuality(_ id: String) async throws -> LiveQualityReport {
        try await liveQuality(try await model(id))
    }

    private func liveQuality(_ record: ModelRecord) async throws -> LiveQualityReport {
        let window = monitoring.settings.feedbackWindow
        let records = try await store.recentFeedback(model: record.id, limit: window)
        let test = record.evaluationJSON.flatMap { try? JSON.decode(Evaluation.self, from: $0) }
        let report = LiveQualityReport(model: record.id, task: record.task, window: window, records: records, test: test)
        monitoring.metrics.setLive(model: record.id, report: report)
        return report
    }

    private func resolvePrediction(_ id: String, deadline: ContinuousClock.Instant) async throws -> RecentPredictions.Entry? {
        if let entry = monitoring.recent.lookup(id) { return entry }
        while true {
            if let logged = try await store.prediction(id: id) {
                let output = try? JSON.decode(Prediction.self, from: logged.outputJSON)
                return RecentPredictions.Entry(model: logged.modelId, label: output?.label, value: output?.value)
            }
            guard predictionLog != nil, ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(100))
            if let entry = monitoring.recent.lookup(id) { return entry }
        }
    }

    // MARK: Gauges

    /// Publishes drift and live-quality gauges of the ready models and drops those of others (every
    /// worker does this every few seconds, so each exports them whoever served the request).
    func refreshMonitoring(ready: [ModelRecord]) async {
        let ids = Set(ready.map(\.id))
        monitoring.drift.retain(ids)
        for (id, report) in monitoring.drift.reports() { publishDrift(id, report) }
        if let labelled = try? await store.feedbackModelIDs() {
            for record in ready where labelled.contains(record.id) { _ = try? await liveQuality(record) }
        }
        for id in monitoring.metrics.models where !ids.contains(id) { monitoring.metrics.remove(model: id) }
    }

    /// Forgets a deleted model's window and series. Its version number stays taken (numbers are
    /// never reused); a deleted served model no longer serves (the newest ready version does).
    func forgetMonitoring(_ id: String) async {
        monitoring.drift.forget(id)
        monitoring.metrics.remove(model: id)
    }
}
