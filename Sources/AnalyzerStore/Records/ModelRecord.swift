import Foundation

/// A stored model's metadata. The fitted artifact lives in the file store.
public struct ModelRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var datasetId: String
    public var target: String
    public var task: String
    public var algorithm: String
    /// The training request as JSON (AnalyzerCore's `TrainingConfig`).
    public var configJSON: String
    public var status: ModelStatus
    /// Why training failed, when `status == .failed`.
    public var error: String?
    /// Held-out evaluation as JSON (AnalyzerCore's `Evaluation`), when ready.
    public var evaluationJSON: String?
    /// Feature columns (name and type) as JSON, when ready.
    public var featuresJSON: String?
    public var trainRows: Int?
    public var testRows: Int?
    public var trainingSeconds: Double?
    public var createdAt: Double
    public var trainedAt: Double?
    /// The process training the model (`host:pid`), while `status == .training`.
    public var owner: String?
    /// When that process last said it was still training (seconds since 1970).
    public var heartbeatAt: Double?

    enum CodingKeys: String, CodingKey {
        case id, name, target, task, algorithm, status, error, owner
        case datasetId = "dataset_id", configJSON = "config_json", evaluationJSON = "evaluation_json"
        case featuresJSON = "features_json", trainRows = "train_rows", testRows = "test_rows"
        case trainingSeconds = "training_seconds", createdAt = "created_at", trainedAt = "trained_at"
        case heartbeatAt = "heartbeat_at"
    }

    public init(
        id: String, name: String, datasetId: String, target: String, task: String, algorithm: String,
        configJSON: String, status: ModelStatus, error: String? = nil, evaluationJSON: String? = nil,
        featuresJSON: String? = nil, trainRows: Int? = nil, testRows: Int? = nil,
        trainingSeconds: Double? = nil, createdAt: Double, trainedAt: Double? = nil, owner: String? = nil,
        heartbeatAt: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.datasetId = datasetId
        self.target = target
        self.task = task
        self.algorithm = algorithm
        self.configJSON = configJSON
        self.status = status
        self.error = error
        self.evaluationJSON = evaluationJSON
        self.featuresJSON = featuresJSON
        self.trainRows = trainRows
        self.testRows = testRows
        self.trainingSeconds = trainingSeconds
        self.createdAt = createdAt
        self.trainedAt = trainedAt
        self.owner = owner
        self.heartbeatAt = heartbeatAt
    }
}
