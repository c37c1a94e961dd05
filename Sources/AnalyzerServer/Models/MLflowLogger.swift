import AnalyzerStore
import Foundation
import Logging
import Synchronization

/// Logs each training run to an MLflow tracking server in the background: experiment by dataset
/// name, params, metrics, tags (dataset fingerprint, model id and version) and the model artifact.
/// A failure is logged and retried with a doubling delay; it never fails the training. The run's row
/// in the store follows along (`mlflow_status` pending → logged | failed, MLflow's run id).
final class MLflowLogger: Sendable {
    /// MLflow experiments are named `csv-analyzer/<dataset name>`.
    static let experimentPrefix = "csv-analyzer/"

    let client: MLflowClient
    private let store: any Store
    private let logger: Logger
    private let maxAttempts: Int
    private let retryDelay: Double
    private let jobs = Mutex<[String: Task<Void, Never>]>([:])

    init(client: MLflowClient, store: any Store, settings: MonitoringSettings, logger: Logger) {
        self.client = client
        self.store = store
        self.logger = logger
        maxAttempts = max(1, settings.mlflowMaxAttempts)
        retryDelay = max(0.01, settings.mlflowRetryDelay)
    }

    /// Starts logging `run` (already stored with `mlflow_status = pending`); `artifact` is the model
    /// file to upload, if any.
    func submit(_ run: RunRecord, artifact: URL?) {
        let job = Task { [self] in
            await self.log(run, artifact: artifact)
            _ = self.jobs.withLock { $0.removeValue(forKey: run.id) }
        }
        jobs.withLock { $0[run.id] = job }
    }

    /// Waits up to `timeout` for runs being logged, then cancels the rest (they stay `pending`).
    func drain(timeout: Duration) async {
        let pending = jobs.withLock { Array($0.values) }
        guard !pending.isEmpty else { return }
        let canceller = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            for job in pending { job.cancel() }
        }
        for job in pending { await job.value }
        canceller.cancel()
    }

    /// Runs still being logged.
    var pendingCount: Int { jobs.withLock { $0.count } }

    /// Whether this process is logging run `id` right now.
    func isLogging(_ id: String) -> Bool { jobs.withLock { $0[id] != nil } }

    private struct Progress {
        var experimentID: String?
        var runID: String?
        var artifactURI: String?
        var batchLogged = false
        var artifactDone = false
    }

    private func log(_ initial: RunRecord, artifact: URL?) async {
        var run = initial
        var progress = Progress()
        var delay = retryDelay
        for attempt in 1...maxAttempts {
            do {
                try await step(run, artifact: artifact, progress: &progress)
                run.mlflowStatus = .logged
                run.mlflowExperimentId = progress.experimentID
                run.mlflowRunId = progress.runID
                run.mlflowError = nil
                await save(run)
                logger.info("run logged to MLflow", metadata: ["run": "\(run.id)", "mlflow_run": "\(progress.runID ?? "")"])
                return
            } catch {
                run.mlflowError = "\(error)"
                run.mlflowExperimentId = progress.experimentID
                run.mlflowRunId = progress.runID
                if attempt == maxAttempts || Task.isCancelled {
                    run.mlflowStatus = Task.isCancelled ? .pending : .failed
                    await save(run)
                    logger.error(
                        "MLflow logging failed; giving up", metadata: ["run": "\(run.id)", "attempts": "\(attempt)", "error": "\(error)"])
                    return
                }
                await save(run)
                logger.warning(
                    "MLflow logging failed; retrying",
                    metadata: ["run": "\(run.id)", "attempt": "\(attempt)", "retry_in_s": "\(delay)", "error": "\(error)"])
                do { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) } catch { /* cancelled: next attempt notices */ }
                delay *= 2
            }
        }
    }

    /// One attempt, resuming after the steps an earlier attempt finished.
    private func step(_ run: RunRecord, artifact: URL?, progress: inout Progress) async throws {
        if progress.experimentID == nil {
            progress.experimentID = try await client.experimentID(named: Self.experimentPrefix + run.datasetName)
        }
        if progress.runID == nil {
            let created = try await client.createRun(
                experimentID: progress.experimentID!, name: Self.runName(run), startTimeMs: Int64(run.startedAt * 1000),
                tags: [("mlflow.source.name", "csv-analyzer"), ("csv_analyzer.run_id", run.id)])
            progress.runID = created.id
            progress.artifactURI = created.artifactURI
        }
        let runID = progress.runID!
        if !progress.batchLogged {
            let metrics = (try? JSONDecoder().decode([String: Double].self, from: Data(run.metricsJSON.utf8))) ?? [:]
            let params = (try? JSONDecoder().decode([String: String].self, from: Data(run.paramsJSON.utf8))) ?? [:]
            try await client.logBatch(
                runID: runID, metrics: metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                params: params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, tags: Self.tags(run),
                timestampMs: Int64(run.finishedAt * 1000))
            progress.batchLogged = true
        }
        if !progress.artifactDone {
            // Best effort: a server without an artifact proxy still gets the run, with the local path as a tag.
            // Read on a Dispatch thread: a forest's artifact is megabytes, and this task may run on an event loop.
            if let artifact, let uri = progress.artifactURI, let data = try? await offload({ try Data(contentsOf: artifact) }) {
                do {
                    try await client.uploadArtifact(artifactURI: uri, path: "model/" + artifact.lastPathComponent, data: data)
                } catch let error as MLflowError where error.status == nil || (error.status ?? 0) >= 500 {
                    throw error
                } catch {
                    logger.warning("MLflow artifact upload refused; the run is logged without it", metadata: ["run": "\(run.id)", "error": "\(error)"])
                }
            }
            progress.artifactDone = true
        }
        try await client.updateRun(
            runID: runID, status: run.status == .finished ? "FINISHED" : "FAILED", endTimeMs: Int64(run.finishedAt * 1000))
    }

    static func runName(_ run: RunRecord) -> String {
        run.modelVersion.map { "\(run.modelName) v\($0)" } ?? run.modelName
    }

    static func tags(_ run: RunRecord) -> [(String, String)] {
        var tags: [(String, String)] = [
            ("csv_analyzer.model_id", run.modelId), ("csv_analyzer.model_name", run.modelName),
            ("dataset.id", run.datasetId), ("dataset.name", run.datasetName), ("dataset.sha256", run.datasetSHA256),
            ("dataset.rows", String(run.datasetRows)), ("dataset.columns", String(run.datasetColumns)),
            ("csv_analyzer.duration_seconds", String(run.durationSeconds)),
        ]
        if let version = run.modelVersion { tags.append(("csv_analyzer.model_version", String(version))) }
        if let path = run.artifactPath { tags.append(("csv_analyzer.artifact_path", path)) }
        if let bytes = run.artifactBytes { tags.append(("csv_analyzer.artifact_bytes", String(bytes))) }
        if let error = run.error { tags.append(("csv_analyzer.error", String(error.prefix(2000)))) }
        return tags
    }

    private func save(_ run: RunRecord) async {
        do { try await store.updateRun(run) } catch {
            logger.warning("could not record the MLflow status of a run", metadata: ["run": "\(run.id)", "error": "\(error)"])
        }
    }
}
