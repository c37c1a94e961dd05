import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging
import Synchronization

/// The service's application logic, independent of HTTP: datasets, training jobs, the model cache
/// and predictions. Routes translate requests into calls on it.
public final class Analyzer: Sendable {
    let store: any Store
    let files: DataDirectory
    let metrics: ServiceMetrics
    let configuration: ServerConfiguration
    let logger: Logger
    let runtime: ServiceRuntime
    /// Background writer of the prediction log; nil when `--prediction-log off`.
    let predictionLog: PredictionLogWriter?
    /// Drift windows, recent predictions for feedback, monitoring gauges, MLflow (Monitoring/).
    let monitoring: ModelMonitoring
    private let loadedModels = Mutex<[String: TrainedModel]>([:])
    /// Approximate in-memory size of each loaded model (its artifact size), for attribution.
    private let modelBytes = Mutex<[String: Int64]>([:])
    private let trainingJobs = Mutex<[String: Task<Void, Never>]>([:])
    private let closed = Mutex(false)

    init(
        store: any Store, files: DataDirectory, metrics: ServiceMetrics, configuration: ServerConfiguration,
        runtime: ServiceRuntime, logger: Logger
    ) {
        self.runtime = runtime
        self.predictionLog = configuration.predictionLog ? PredictionLogWriter(store: store, metrics: metrics, logger: logger) : nil
        self.monitoring = ModelMonitoring(settings: configuration.monitoring, store: store, registry: metrics.registry, logger: logger)
        self.store = store
        self.files = files
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
    }

    /// Start-up housekeeping: forget trainings a crash interrupted, remove orphan files, publish
    /// the quality gauges of ready models.
    public func recover() async throws {
        var modelIDs = Set<String>()
        for record in try await store.models() {
            if record.status == .training {
                guard Self.isAbandoned(record) else {
                    modelIDs.insert(record.id)
                    continue
                }
                _ = try await store.deleteModel(id: record.id)
                try? FileManager.default.removeItem(at: files.modelFile(record.id))
                logger.warning("removed model interrupted while training", metadata: ["model": "\(record.id)"])
                continue
            }
            modelIDs.insert(record.id)
            if record.status == .ready { publishQuality(record) }
        }
        let datasetIDs = Set(try await store.datasets().map(\.id))
        for file in files.removeOrphans(datasetIDs: datasetIDs, modelIDs: modelIDs) {
            logger.warning("removed orphan file left by an interrupted write", metadata: ["file": "\(file)"])
        }
    }

    /// Waits for background trainings to finish (used on shutdown and in tests).
    public func waitForTrainings() async {
        let jobs = trainingJobs.withLock { Array($0.values) }
        for job in jobs { await job.value }
    }

    /// Lets background trainings finish, then closes the store; later calls do nothing.
    public func shutdown() async {
        await waitForTrainings()
        guard closed.withLock({ let was = $0; $0 = true; return !was }) else { return }
        await predictionLog?.close()
        await monitoring.shutdown()
        do { try await store.close() } catch { logger.error("closing the store failed", metadata: ["error": "\(error)"]) }
    }

    // MARK: Datasets

    /// Parses an upload already streamed to a temp file and stores it; the temp file is consumed.
    func createDataset(from upload: UploadFile, name: String?) async throws -> DatasetRecord {
        defer { try? FileManager.default.removeItem(at: upload.url) }
        let url = upload.url
        let schema: DatasetSchema
        do {
            schema = try await offload { try CSVDataset.load(contentsOf: url).schema }
        } catch let error as CSVError {
            throw APIError.unprocessable(error.code, error.message)
        }
        let id = Identifiers.make("ds")
        let record = DatasetRecord(
            id: id, name: Self.datasetName(name, fileName: upload.fileName, id: id), sizeBytes: upload.size,
            rowCount: schema.rowCount, columnCount: schema.columns.count, sha256: upload.sha256,
            schemaJSON: try JSON.string(schema), createdAt: Date().timeIntervalSince1970)
        let destination = files.datasetFile(id)
        try files.move(url, to: destination)
        do {
            try await store.insertDataset(record)
        } catch {
            // Database unreachable: the insert may still have been applied, so keep the file (a row
            // must never lack its file); the orphan sweep removes it later if the row is absent.
            if (error as? StoreUnavailableError)?.mayHaveApplied != true { try? FileManager.default.removeItem(at: destination) }
            throw error
        }
        logger.info("dataset stored", metadata: ["dataset": "\(id)", "rows": "\(schema.rowCount)", "bytes": "\(upload.size)"])
        return record
    }

    private static func datasetName(_ name: String?, fileName: String?, id: String) -> String {
        if let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { return String(name.prefix(200)) }
        if let fileName, !fileName.isEmpty {
            return String((fileName as NSString).deletingPathExtension.prefix(200))
        }
        return id
    }

    func datasets() async throws -> [DatasetRecord] { try await store.datasets() }

    func dataset(_ id: String) async throws -> DatasetRecord {
        guard let record = try await store.dataset(id: id) else { throw APIError.notFound("dataset", id) }
        return record
    }

    func deleteDataset(_ id: String) async throws {
        guard try await store.deleteDataset(id: id) else { throw APIError.notFound("dataset", id) }
        try? FileManager.default.removeItem(at: files.datasetFile(id))
        logger.info("dataset deleted", metadata: ["dataset": "\(id)"])
    }

    /// A temp path for an incoming upload.
    func uploadPath() -> URL { files.temporaryFile(".upload") }

    // MARK: Models

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
            throw APIError.unprocessable("unknown_target", "target column '\(config.target)' is not in the dataset (columns: \(names))")
        }
        if target.type == .empty || target.missing == schema.rowCount {
            throw APIError.unprocessable("target_all_missing", "target column '\(config.target)' has no values")
        }
    }

    private func runTraining(
        _ initial: ModelRecord, config: TrainingConfig, datasetURL: URL, persistFailure: Bool
    ) async throws -> ModelRecord {
        var record = initial
        let logger = logger
        do {
            let result = try await offload {
                let table = try CSVDataset.load(contentsOf: datasetURL).table
                return try Trainer.train(table: table, config: config)
            }
            let artifact = try result.model.serialized()
            try files.writeAtomically(artifact, to: files.modelFile(record.id))
            record.status = .ready
            record.task = result.model.task.rawValue
            record.evaluationJSON = try JSON.string(result.evaluation)
            record.featuresJSON = try JSON.string(result.model.featureColumns)
            record.trainRows = result.trainRows
            record.testRows = result.testRows
            record.trainingSeconds = result.durationSeconds
            record.trainedAt = Date().timeIntervalSince1970
            if persistFailure { try await store.updateModel(record) } else { try await store.insertModel(record) }
            loadedModels.withLock { $0[record.id] = result.model }
            modelBytes.withLock { $0[record.id] = Int64(artifact.count) }
            publishQuality(record)
            await trainingSucceeded(record, config: config, result: result, artifactBytes: artifact.count)
            logger.info(
                "model trained",
                metadata: [
                    "model": "\(record.id)", "algorithm": "\(record.algorithm)",
                    "seconds": "\(String(format: "%.3f", result.durationSeconds))",
                ])
            return record
        } catch {
            try? FileManager.default.removeItem(at: files.modelFile(record.id))
            let apiError = Self.apiError(for: error)
            logger.log(
                level: apiError.status.code >= 500 ? .error : .notice, "training failed",
                metadata: ["model": "\(record.id)", "error": "\(apiError.message)"])
            if persistFailure {
                record.status = .failed
                record.error = "\(apiError.code): \(apiError.message)"
                try? await store.updateModel(record)
            }
            await trainingFailed(record, config: config, error: apiError)
            throw apiError
        }
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as TrainingError: return .unprocessable(error.code.rawValue, error.message)
        case let error as CSVError: return .unprocessable(error.code, error.message)
        case let error as StoreUnavailableError: return .storeUnavailable(error)
        default: return APIError(.internalServerError, code: "internal_error", "\(error)")
        }
    }

    func models() async throws -> [ModelRecord] { try await store.models() }

    func model(_ id: String) async throws -> ModelRecord {
        guard let record = try await store.model(id: id) else { throw APIError.notFound("model", id) }
        return record
    }

    func deleteModel(_ id: String) async throws {
        guard try await store.deleteModel(id: id) else { throw APIError.notFound("model", id) }
        _ = loadedModels.withLock { $0.removeValue(forKey: id) }
        _ = modelBytes.withLock { $0.removeValue(forKey: id) }
        try? FileManager.default.removeItem(at: files.modelFile(id))
        metrics.removeModel(id)
        await forgetMonitoring(id)
        logger.info("model deleted", metadata: ["model": "\(id)"])
    }

    /// The fitted model, from memory or loaded from its artifact.
    func trainedModel(_ id: String) async throws -> TrainedModel {
        if let model = loadedModels.withLock({ $0[id] }) { return model }
        let record = try await model(id)
        guard record.status == .ready else {
            throw APIError(.conflict, code: "model_not_ready", "model '\(id)' is \(record.status.rawValue)\(record.error.map { ": \($0)" } ?? "")")
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

    /// Predicts each row, recording latency and counts. Runs the configured `generate_features`
    /// under the memory budget and applies a `model_degrade` fault.
    /// `lines` maps row indices to CSV line numbers so errors name the line.
    /// `predictionIDs` (one per row) are the ids the prediction log records; the API passes the ids
    /// it returns, other callers let them be made here.
    func predict(
        modelID: String, rows: [[String: FeatureValue]], lines: [Int]? = nil, predictionIDs: [String]? = nil
    ) async throws -> (TrainedModel, [Prediction]) {
        let model = try await trainedModel(modelID)
        let start = ContinuousClock.now
        let legacy = runtime.legacyGenerator()
        let copies = legacy == nil ? 1 : 1 + Int64(runtime.leakScale)
        do {
            try runtime.budget.reserve(Int64(rows.count * model.pipeline.width * 8) * copies, for: "generate_features")
        } catch {
            metrics.memoryErrors.increment()
            runtime.errorLog.write(
                "\(error.description) (model \(modelID), \(rows.count) rows, \(legacy == nil ? "patched" : "legacy") implementation)",
                trace: error.trace)
            logger.error("MemoryError in generate_features", metadata: ["model": "\(modelID)", "error": "\(error.description)"])
            throw APIError(.internalServerError, code: "memory_error", error.description)
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
                throw APIError.unprocessable(error.code.rawValue, "line \(lines[row]): \(error.message)")
            }
            throw APIError.unprocessable(error.code.rawValue, error.message)
        }
        if let fault = runtime.faults.active(.modelDegrade).first(where: { $0.model == nil || $0.model == modelID }) {
            predictions = predictions.map { fault.fires() ? Self.noise(like: $0, model: model) : $0 }
        }
        metrics.predictionDuration.record(ContinuousClock.now - start)
        metrics.recordPredictions(model: modelID, count: predictions.count)
        predictionLog?.record(
            model: modelID, rows: rows, predictions: predictions, ids: predictionIDs ?? PredictionLogWriter.makeIDs(predictions.count))
        monitorPredictions(modelID: modelID, model: model, rows: rows, predictions: predictions, ids: predictionIDs)
        return (model, predictions)
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

    /// Bytes retained per component in this process (memory attribution). `datasets` is always 0:
    /// uploads stream to disk and no dataset is kept in memory (a training's working set is `other`).
    func retainedBytes() -> [String: Int64] {
        let cache = runtime.featureCache.retainedBytes
        let models = modelBytes.withLock { $0.values.reduce(0, +) }
        let rss = ProcessStats.current().residentBytes
        return ["feature_cache": cache, "models": models, "datasets": 0, "other": max(0, rss - cache - models)]
    }

    /// Publishes the held-out scores of every ready model and drops deleted ones: every worker of
    /// a pool serves every model, so each must export them, whoever trained it.
    func refreshQualityGauges() async {
        guard let records = try? await store.models() else { return }
        let ready = records.filter { $0.status == .ready }
        for record in ready { publishQuality(record) }
        metrics.retainModels(Set(ready.map(\.id)))
        await refreshMonitoring(ready: ready)
    }

    private func publishQuality(_ record: ModelRecord) {
        guard let json = record.evaluationJSON, let evaluation = try? JSON.decode(Evaluation.self, from: json) else { return }
        metrics.setModelQuality(
            model: record.id, accuracy: evaluation.classification?.accuracy,
            f1: evaluation.classification?.macroF1, r2: evaluation.regression?.r2)
    }
}
