/// One training, as tracking records it (MLflow's "run"): parameters, metrics, dataset fingerprint,
/// duration, the stored artifact, and whether it reached an MLflow tracking server.
public struct RunRecord: Codable, Sendable, Equatable {
    /// Whether a training finished with a model.
    public enum Status: String, Codable, Sendable {
        case finished, failed
    }

    /// Where the run stands with the MLflow tracking server (nil: MLflow is not configured).
    public enum MLflowStatus: String, Codable, Sendable {
        /// Not yet logged (queued or being retried).
        case pending
        /// Logged; ``RunRecord/mlflowRunId`` is MLflow's run id.
        case logged
        /// Gave up after the retries; ``RunRecord/mlflowError`` says why.
        case failed
    }

    public var id: String
    public var modelId: String
    public var modelName: String
    /// The model's version under its name (nil for a failed training).
    public var modelVersion: Int?
    public var datasetId: String
    public var datasetName: String
    /// The dataset fingerprint: SHA-256 of the CSV bytes, rows, columns.
    public var datasetSHA256: String
    public var datasetRows: Int
    public var datasetColumns: Int
    public var status: Status
    /// Why the training failed.
    public var error: String?
    /// The training parameters as a JSON object of strings (`target`, `algorithm`, hyper-parameters…).
    public var paramsJSON: String
    /// The test-set metrics and training figures as a JSON object of numbers.
    public var metricsJSON: String
    public var durationSeconds: Double
    /// The model artifact's path (relative to the data directory) and size.
    public var artifactPath: String?
    public var artifactBytes: Int64?
    /// Seconds since 1970.
    public var startedAt: Double
    public var finishedAt: Double
    public var mlflowStatus: MLflowStatus?
    public var mlflowExperimentId: String?
    public var mlflowRunId: String?
    public var mlflowError: String?

    enum CodingKeys: String, CodingKey {
        case id, status, error
        case modelId = "model_id", modelName = "model_name", modelVersion = "model_version"
        case datasetId = "dataset_id", datasetName = "dataset_name", datasetSHA256 = "dataset_sha256"
        case datasetRows = "dataset_rows", datasetColumns = "dataset_columns"
        case paramsJSON = "params_json", metricsJSON = "metrics_json", durationSeconds = "duration_seconds"
        case artifactPath = "artifact_path", artifactBytes = "artifact_bytes"
        case startedAt = "started_at", finishedAt = "finished_at"
        case mlflowStatus = "mlflow_status", mlflowExperimentId = "mlflow_experiment_id"
        case mlflowRunId = "mlflow_run_id", mlflowError = "mlflow_error"
    }

    public init(
        id: String, modelId: String, modelName: String, modelVersion: Int?, datasetId: String, datasetName: String,
        datasetSHA256: String, datasetRows: Int, datasetColumns: Int, status: Status, error: String? = nil,
        paramsJSON: String, metricsJSON: String, durationSeconds: Double, artifactPath: String? = nil,
        artifactBytes: Int64? = nil, startedAt: Double, finishedAt: Double, mlflowStatus: MLflowStatus? = nil,
        mlflowExperimentId: String? = nil, mlflowRunId: String? = nil, mlflowError: String? = nil
    ) {
        self.id = id
        self.modelId = modelId
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.datasetId = datasetId
        self.datasetName = datasetName
        self.datasetSHA256 = datasetSHA256
        self.datasetRows = datasetRows
        self.datasetColumns = datasetColumns
        self.status = status
        self.error = error
        self.paramsJSON = paramsJSON
        self.metricsJSON = metricsJSON
        self.durationSeconds = durationSeconds
        self.artifactPath = artifactPath
        self.artifactBytes = artifactBytes
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.mlflowStatus = mlflowStatus
        self.mlflowExperimentId = mlflowExperimentId
        self.mlflowRunId = mlflowRunId
        self.mlflowError = mlflowError
    }
}
