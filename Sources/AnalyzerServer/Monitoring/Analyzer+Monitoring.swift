import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging

/// Model monitoring: drift of live inputs, live quality from feedback, versions and retraining,
/// training runs (and their MLflow copies).
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
            throw APIError(
                .conflict, code: "no_reference",
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
                throw APIError(
                    .notFound, code: "prediction_not_found",
                    "\(item.path): no prediction with id '\(item.predictionID)'"
                        + (predictionLog == nil ? " among this process's recent predictions (the prediction log is off)" : ""))
            }
            guard prediction.model == id else {
                throw APIError.unprocessable(
                    "prediction_model_mismatch", "\(item.path): prediction '\(item.predictionID)' was made by model '\(prediction.model)', not '\(id)'")
            }
            let field = String(item.path.dropLast("prediction_id".count))
            if isClassification {
                guard let label = item.label ?? item.value.map(FeedbackItem.category) else {
                    throw APIError.unprocessable("missing_field", "field '\(field)label' is required: model '\(id)' is a classifier")
                }
                feedback.append(FeedbackRecord(
                    predictionId: item.predictionID, modelId: id, label: label, createdAt: now, predictedLabel: prediction.label))
            } else {
                guard let value = item.value ?? item.label.flatMap({ CSVNumber.parse($0)?.value }) else {
                    throw APIError.unprocessable("missing_field", "field '\(field)value' is required (a number): model '\(id)' is a regressor")
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

    // MARK: Training runs

    /// Records a finished training: gives the model its version under its name, stores the run,
    /// and hands it to MLflow when configured. Never throws: tracking must not fail a training.
    func trainingSucceeded(_ record: ModelRecord, config: TrainingConfig, result: TrainingResult, artifactBytes: Int) async {
        let now = Date().timeIntervalSince1970
        var version: Int?
        do {
            version = try await store.assignModelVersion(modelID: record.id, name: record.name, at: now)
        } catch {
            logger.warning("could not assign a model version", metadata: ["model": "\(record.id)", "error": "\(error)"])
        }
        var params = Self.runParams(config)
        params["task"] = result.model.task.rawValue
        for (key, value) in result.model.parameters { params[key] = Self.paramString(value) }
        var metrics: [String: Double] = [
            "train_rows": Double(result.trainRows), "test_rows": Double(result.testRows), "training_seconds": result.durationSeconds,
        ]
        if let c = result.evaluation.classification {
            metrics["accuracy"] = c.accuracy
            metrics["f1_macro"] = c.macroF1
            metrics["f1_weighted"] = c.weightedF1
        }
        if let r = result.evaluation.regression {
            metrics["r2"] = r.r2
            metrics["mae"] = r.mae
            metrics["rmse"] = r.rmse
        }
        await recordRun(
            record, version: version, status: .finished, error: nil, params: params, metrics: metrics,
            duration: result.durationSeconds, artifactBytes: Int64(artifactBytes), finishedAt: now)
    }

    /// A run still `pending` with MLflow this long after it finished lost the process that was
    /// logging it (a restart, a killed worker): every attempt together takes about two minutes.
    static let orphanedRunAge: Double = 300

    /// Hands runs still `pending` with MLflow after ``orphanedRunAge`` back to MLflow, so that no run
    /// is lost to a restart or a killed worker. One process of a pool does it (a single process, or
    /// worker 0), so no run is logged twice; the background service calls it every minute.
    /// - Returns: the runs resubmitted (none without MLflow).
    @discardableResult
    public func resubmitOrphanedRuns(now: Double = Date().timeIntervalSince1970) async throws -> [String] {
        guard let mlflow = monitoring.mlflow else { return [] }
        var resubmitted: [String] = []
        for run in try await store.runs(model: nil, limit: 10_000)
        where run.mlflowStatus == .pending && now - run.finishedAt > Self.orphanedRunAge && !mlflow.isLogging(run.id) {
            mlflow.submit(run, artifact: run.artifactPath.map { files.root.appendingPathComponent($0) })
            resubmitted.append(run.id)
        }
        if !resubmitted.isEmpty {
            logger.notice("resubmitted orphaned runs to MLflow", metadata: ["runs": "\(resubmitted.joined(separator: ","))"])
        }
        return resubmitted
    }

    /// Records a failed training as a failed run.
    func trainingFailed(_ record: ModelRecord, config: TrainingConfig, error: APIError) async {
        let now = Date().timeIntervalSince1970
        await recordRun(
            record, version: nil, status: .failed, error: "\(error.code): \(error.message)", params: Self.runParams(config),
            metrics: [:], duration: max(0, now - record.createdAt), artifactBytes: nil, finishedAt: now)
    }

    private func recordRun(
        _ record: ModelRecord, version: Int?, status: RunRecord.Status, error: String?, params: [String: String],
        metrics: [String: Double], duration: Double, artifactBytes: Int64?, finishedAt: Double
    ) async {
        do {
            let dataset = try await store.dataset(id: record.datasetId)
            var run = RunRecord(
                id: Identifiers.make("run"), modelId: record.id, modelName: record.name, modelVersion: version,
                datasetId: record.datasetId, datasetName: dataset?.name ?? record.datasetId, datasetSHA256: dataset?.sha256 ?? "",
                datasetRows: dataset?.rowCount ?? 0, datasetColumns: dataset?.columnCount ?? 0, status: status, error: error,
                paramsJSON: try JSON.string(params), metricsJSON: try JSON.string(metrics), durationSeconds: duration,
                artifactPath: artifactBytes == nil ? nil : "models/\(record.id).model", artifactBytes: artifactBytes,
                startedAt: finishedAt - duration, finishedAt: finishedAt)
            run.mlflowStatus = monitoring.mlflow == nil ? nil : .pending
            try await store.insertRun(run)
            monitoring.mlflow?.submit(run, artifact: artifactBytes == nil ? nil : files.modelFile(record.id))
        } catch {
            logger.warning("could not record the training run", metadata: ["model": "\(record.id)", "error": "\(error)"])
        }
    }

    static func runParams(_ config: TrainingConfig) -> [String: String] {
        var params = [
            "target": config.target, "task": config.task.rawValue, "algorithm": config.algorithm.rawValue,
            "test_fraction": String(config.testFraction), "seed": String(config.seed),
        ]
        if let indices = config.testIndices { params["test_indices_count"] = String(indices.count) }
        for (key, value) in config.params { params[key] = paramString(value) }
        return params
    }

    static func paramString(_ value: ParamValue) -> String {
        switch value {
        case .number(let d): String(d)
        case .int(let i): String(i)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .null: "None"
        }
    }

    func runs(model: String?, limit: Int) async throws -> [RunRecord] {
        try await store.runs(model: model, limit: limit)
    }

    func run(_ id: String) async throws -> RunRecord {
        guard let run = try await store.runRecord(id: id) else { throw APIError.notFound("run", id) }
        return run
    }

    // MARK: Versions

    /// Retrains model `id` with the same settings (optionally on another dataset) as a new version
    /// under the same name.
    func retrain(_ id: String, dataset newDataset: String?) async throws -> ModelRecord {
        let record = try await model(id)
        let config = try JSON.decode(TrainingConfig.self, from: record.configJSON)
        var request = TrainRequest(dataset: newDataset ?? record.datasetId, target: config.target, algorithm: config.algorithm.rawValue)
        request.task = config.task.rawValue
        request.params = config.params
        request.testFraction = config.testFraction
        request.seed = config.seed
        // Explicit test rows index the old dataset: keep them only when the data is the same.
        request.testIndices = newDataset == nil || newDataset == record.datasetId ? config.testIndices : nil
        request.name = record.name
        _ = try await ensureVersions(name: record.name)
        return try await train(request)
    }

    /// The versions of model `id`'s name and which one is served.
    func versions(of id: String) async throws -> ModelVersions {
        let record = try await model(id)
        return try await versions(name: record.name)
    }

    /// Marks model `id` as the served version of its name.
    func serve(_ id: String) async throws -> ModelVersions {
        let record = try await model(id)
        guard record.status == .ready else {
            throw APIError(.conflict, code: "model_not_ready", "model '\(id)' is \(record.status.rawValue); only a ready model can be served")
        }
        _ = try await ensureVersions(name: record.name)
        try await store.setServedModel(name: record.name, modelID: id, at: Date().timeIntervalSince1970)
        logger.info("served version changed", metadata: ["name": "\(record.name)", "model": "\(id)"])
        return try await versions(name: record.name)
    }

    /// The model that serves `name`: the one marked served, else the newest ready version.
    func servedModelID(name: String) async throws -> String {
        let versions = try await versions(name: name)
        guard let served = versions.served else {
            throw APIError(.notFound, code: "model_not_found", "no ready model named '\(name)'")
        }
        return served
    }

    func versions(name: String) async throws -> ModelVersions {
        let models = try await ensureVersions(name: name)
        let byID = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let versions = try await store.modelVersions(name: name).filter { byID[$0.modelId] != nil }
        let marked = try await store.servedModel(name: name).flatMap { byID[$0]?.status == .ready ? $0 : nil }
        let served = marked ?? versions.first { byID[$0.modelId]?.status == .ready }?.modelId
        return ModelVersions(name: name, served: served, servedExplicitly: marked != nil, versions: versions, models: byID)
    }

    /// The ready models called `name`; gives a version to any that lacks one (trained before
    /// versions existed), oldest first.
    private func ensureVersions(name: String) async throws -> [ModelRecord] {
        let models = try await store.models().filter { $0.name == name }
        for record in models.sorted(by: { $0.createdAt < $1.createdAt }) where record.status == .ready {
            if try await store.modelVersion(modelID: record.id) == nil {
                _ = try await store.assignModelVersion(modelID: record.id, name: name, at: record.trainedAt ?? record.createdAt)
            }
        }
        return models
    }
}
