import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging

/// Models: training (in the request or in the background), the model cache, quality gauges.
extension Analyzer {
    /// Trains a model: synchronously for small datasets, otherwise in the background (the returned
    /// record then has status `.training` and the client polls it).
    func train(_ request: TrainRequest) async throws -> ModelRecord {
        let dataset = try await dataset(request.dataset)
        let config = try request.trainingConfig()
        let schema = try JSON.decode(DatasetSchema.self, from: dataset.schemaJSON)
        try Self.precheck(config, schema: schema)
        let now = Date().timeIntervalSince1970
        var record = ModelRecord(
            id: Identifiers.make("m"), name: request.name ?? "\(dataset.name)-\(config.target)-\(config.algorithm.rawValue)",
            datasetId: dataset.id, target: config.target, task: config.task.rawValue,
            algorithm: config.algorithm.rawValue, configJSON: try JSON.string(config), status: .training, createdAt: now)
        let datasetURL = files.datasetFile(dataset.id)
        if dataset.rowCount <= configuration.syncTrainingRowLimit {
            return try await runTraining(record, config: config, datasetURL: datasetURL, persistFailure: false)
        }
        record.owner = ProcessIdentity.owner
        record.heartbeatAt = now
        try await store.insertModel(record)
        let job = Task { [record] in
            let heartbeat = Task { await self.heartbeat(record.id) }
            defer { heartbeat.cancel() }
            _ = try? await self.runTraining(record, config: config, datasetURL: datasetURL, persistFailure: true)
            _ = self.trainingJobs.withLock { $0.removeValue(forKey: record.id) }
        }
        trainingJobs.withLock { $0[record.id] = job }
        record.status = .training
        return record
    }

    /// Cheap checks against the stored schema so that a background training does not fail on
    /// something the request could have been told at once.
    static func precheck(_ config: TrainingConfig, schema: DatasetSchema) throws {
        guard let target = schema.columns.first(where: { $0.name == config.target }) else {
            let names = schema.columns.map(\.name).joined(separator: ", ")
            throw AnalyzerError.invalid("unknown_target", "target column '\(config.target)' is not in the dataset (columns: \(names))")
        }
        if target.type == .empty || target.missing == schema.rowCount {
            throw AnalyzerError.invalid("target_all_missing", "target column '\(config.target)' has no values")
        }
    }

    private func runTraining(
        _ initial: ModelRecord, config: TrainingConfig, datasetURL: URL, persistFailure: Bool
    ) async throws -> ModelRecord {
        var record = initial
        let logger = logger
        do {
            // Parsing, training, serializing and writing the artifact: off the event loops.
            let (result, artifact) = try await offload { [files, id = record.id] in
                let table = try CSVDataset.load(contentsOf: datasetURL).table
                let result = try Trainer.train(table: table, config: config)
                let artifact = try result.model.serialized()
                try files.writeAtomically(artifact, to: files.modelFile(id))
                return (result, artifact)
            }
            record.status = .ready
            record.task = result.model.task.rawValue
            record.evaluationJSON = try JSON.string(result.evaluation)
            record.featuresJSON = try JSON.string(result.model.featureColumns)
            record.trainRows = result.trainRows
            record.testRows = result.testRows
            record.trainingSeconds = result.durationSeconds
            record.trainedAt = Date().timeIntervalSince1970
            // Cached before the row turns ready, and uncached when the row is gone: whichever of
            // this write and a DELETE comes first, a deleted model is never served (issue 18).
            loadedModels.withLock { $0[record.id] = result.model }
            modelBytes.withLock { $0[record.id] = Int64(artifact.count) }
            if persistFailure {
                guard try await store.finishTraining(record) else { throw DeletedWhileTraining() }
            } else {
                try await store.insertModel(record)
            }
            publishQuality(record)
            await trainingSucceeded(record, config: config, result: result, artifactBytes: artifact.count)
            logger.info(
                "model trained",
                metadata: [
                    "model": "\(record.id)", "algorithm": "\(record.algorithm)",
                    "seconds": "\(String(format: "%.3f", result.durationSeconds))",
                ])
            return record
        } catch let error as DeletedWhileTraining {
            forgetModel(record.id)
            logger.notice("model deleted while it trained: result discarded", metadata: ["model": "\(record.id)"])
            throw error
        } catch {
            forgetModel(record.id)
            let failure = AnalyzerError.from(error)
            logger.log(
                level: failure.kind == .failed || failure.kind == .unavailable ? .error : .notice, "training failed",
                metadata: ["model": "\(record.id)", "error": "\(failure.message)"])
            if persistFailure {
                record.status = .failed
                record.error = "\(failure.code): \(failure.message)"
                guard await persistTrainingOutcome(record) else { throw DeletedWhileTraining() }
            }
            await trainingFailed(record, config: config, error: failure)
            throw failure
        }
    }

    func models() async throws -> [ModelRecord] { try await store.models() }

    func model(_ id: String) async throws -> ModelRecord {
        try await AnalyzerError.found(store.model(id: id), "model", id)
    }

    /// Deletes a model. One still training keeps running, but its outcome finds no `training` row
    /// to write (``Store/finishTraining(_:)``), so it discards its artifact and records no run.
    func deleteModel(_ id: String) async throws {
        guard try await store.deleteModel(id: id) else { throw AnalyzerError.notFound("model", id) }
        forgetModel(id)
        metrics.removeModel(id)
        await forgetMonitoring(id)
        logger.info("model deleted", metadata: ["model": "\(id)"])
    }

    /// Drops a model's artifact and its cached copy.
    private func forgetModel(_ id: String) {
        _ = loadedModels.withLock { $0.removeValue(forKey: id) }
        _ = modelBytes.withLock { $0.removeValue(forKey: id) }
        try? FileManager.default.removeItem(at: files.modelFile(id))
    }

    /// The fitted model, from memory or loaded from its artifact.
    func trainedModel(_ id: String) async throws -> TrainedModel {
        if let model = loadedModel(id) { return model }
        let record = try await model(id)
        guard record.status == .ready else {
            throw AnalyzerError(.conflict, code: "model_not_ready", "model '\(id)' is \(record.status.rawValue)\(record.error.map { ": \($0)" } ?? "")")
        }
        let url = files.modelFile(id)
        let (model, size) = try await offload {
            let data = try Data(contentsOf: url)
            return (try TrainedModel.deserialize(data), Int64(data.count))
        }
        loadedModels.withLock { $0[id] = model }
        modelBytes.withLock { $0[id] = size }
        return model
    }

    /// Publishes the held-out scores of every ready model and drops deleted ones: every worker of
    /// a pool serves every model, so each must export them, whoever trained it.
    ///
    /// Once a version of a name is served explicitly, only it exports quality, drift and live
    /// gauges: a version that stops being served (another was served, or it was deleted) loses
    /// them. Every worker runs this every 5 s from the shared store (the served version is a store
    /// row, so the store is the broadcast), and the supervisor's merged `/metrics` only shows what workers export, so
    /// DataDriftHigh and ModelAccuracyLow stop firing for the old version once the new one serves.
    /// Age-based expiry was the alternative; it would also drop a served model's gauges when its
    /// traffic pauses, and keep the old version's for the whole age.
    func refreshQualityGauges() async {
        guard let records = try? await store.models() else { return }
        let ready = records.filter { $0.status == .ready }
        metrics.retainModels(Set(ready.map(\.id)))
        let served = await servedVersions(among: ready)
        for record in served { publishQuality(record) }
        metrics.retainQuality(Set(served.map(\.id)))
        await refreshMonitoring(ready: served)
    }

    /// The ready models that export gauges: of a name with an explicitly served version (`POST
    /// /api/models/{id}/serve`), that version only; of other names every ready version (models
    /// trained side by side under one name, each called by id, keep being monitored).
    func servedVersions(among ready: [ModelRecord]) async -> [ModelRecord] {
        var served: [ModelRecord] = []
        for (name, records) in Dictionary(grouping: ready, by: \.name) {
            guard records.count > 1, let marked = try? await versions(name: name), marked.servedExplicitly,
                let id = marked.served
            else {
                served += records
                continue
            }
            served += records.filter { $0.id == id }
        }
        return served
    }

    func publishQuality(_ record: ModelRecord) {
        guard let json = record.evaluationJSON, let evaluation = try? JSON.decode(Evaluation.self, from: json) else { return }
        metrics.setModelQuality(
            model: record.id, accuracy: evaluation.classification?.accuracy,
            f1: evaluation.classification?.macroF1, r2: evaluation.regression?.r2)
    }
}

/// A training whose model was deleted before its outcome could be written.
struct DeletedWhileTraining: Error {}
