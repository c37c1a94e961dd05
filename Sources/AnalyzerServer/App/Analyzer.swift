import AnalyzerCore
import AnalyzerStore
import Foundation
import Logging
import Synchronization

/// The service's application logic, independent of HTTP: its state (store, files, model cache,
/// training jobs, runtime) and life cycle. What it does lives with each feature, in
/// `Analyzer+Feature.swift` files (Datasets/, Models/, Predictions/, Admin/, Monitoring/).
/// Routes translate requests into calls on it; it throws ``AnalyzerError``, never HTTP errors.
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
    let loadedModels = Mutex<[String: TrainedModel]>([:])
    /// Approximate in-memory size of each loaded model (its artifact size), for attribution.
    let modelBytes = Mutex<[String: Int64]>([:])
    let trainingJobs = Mutex<[String: Task<Void, Never>]>([:])
    private let closed = Mutex(false)

    init(
        store: any Store, files: DataDirectory, metrics: ServiceMetrics, configuration: ServerConfiguration,
        runtime: ServiceRuntime, logger: Logger
    ) {
        self.runtime = runtime
        self.predictionLog = configuration.predictionLog.isOn ? PredictionLogWriter(store: store, metrics: metrics, logger: logger) : nil
        self.monitoring = ModelMonitoring(settings: configuration, store: store, registry: metrics.registry, logger: logger)
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
}
