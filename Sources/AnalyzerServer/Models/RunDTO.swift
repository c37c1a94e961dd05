import AnalyzerStore
import Foundation

/// API view of a training run.
struct RunDTO: Encodable {
    struct Dataset: Encodable {
        let id: String
        let name: String
        let sha256: String
        let rows: Int
        let columns: Int
    }

    struct Artifact: Encodable {
        let path: String
        let bytes: Int64?
    }

    struct MLflow: Encodable {
        let status: String
        let experimentId: String?
        let runId: String?
        let error: String?

        enum CodingKeys: String, CodingKey {
            case status, error
            case experimentId = "experiment_id", runId = "run_id"
        }
    }

    let id: String
    let model: String
    let modelName: String
    let modelVersion: Int?
    let status: String
    let error: String?
    let dataset: Dataset
    let params: [String: String]
    let metrics: [String: Double]
    let durationSeconds: Double
    let artifact: Artifact?
    let startedAt: String
    let finishedAt: String
    let mlflow: MLflow?
    let links: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, model, status, error, dataset, params, metrics, artifact, mlflow, links
        case modelName = "model_name", modelVersion = "model_version", durationSeconds = "duration_seconds"
        case startedAt = "started_at", finishedAt = "finished_at"
    }

    init(_ run: RunRecord) {
        id = run.id
        model = run.modelId
        modelName = run.modelName
        modelVersion = run.modelVersion
        status = run.status.rawValue
        error = run.error
        dataset = Dataset(id: run.datasetId, name: run.datasetName, sha256: run.datasetSHA256, rows: run.datasetRows, columns: run.datasetColumns)
        params = (try? JSON.decode([String: String].self, from: run.paramsJSON)) ?? [:]
        metrics = (try? JSON.decode([String: Double].self, from: run.metricsJSON)) ?? [:]
        durationSeconds = run.durationSeconds
        artifact = run.artifactPath.map { Artifact(path: $0, bytes: run.artifactBytes) }
        startedAt = Timestamps.iso(run.startedAt)
        finishedAt = Timestamps.iso(run.finishedAt)
        mlflow = run.mlflowStatus.map { MLflow(status: $0.rawValue, experimentId: run.mlflowExperimentId, runId: run.mlflowRunId, error: run.mlflowError) }
        links = ["self": "/api/runs/\(run.id)", "model": "/api/models/\(run.modelId)"]
    }
}
