import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging

/// Training runs: each training recorded (and copied to MLflow when configured).
extension Analyzer {
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
    func trainingFailed(_ record: ModelRecord, config: TrainingConfig, error: AnalyzerError) async {
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
        try await AnalyzerError.found(store.runRecord(id: id), "run", id)
    }
}
