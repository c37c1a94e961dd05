import AnalyzerCore
import AnalyzerStore
import Foundation

/// API view of a model.
struct ModelDTO: Encodable {
    let id: String
    let name: String
    let dataset: String
    let target: String
    let task: String
    let algorithm: String
    let status: String
    let error: String?
    let params: [String: ParamValue]?
    let evaluation: Evaluation?
    let features: [FeatureColumn]?
    let trainRows: Int?
    let testRows: Int?
    let trainingSeconds: Double?
    let createdAt: String
    let trainedAt: String?
    let links: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, name, dataset, target, task, algorithm, status, error, params, evaluation, features, links
        case trainRows = "train_rows", testRows = "test_rows", trainingSeconds = "training_seconds"
        case createdAt = "created_at", trainedAt = "trained_at"
    }

    init(_ record: ModelRecord) {
        id = record.id
        name = record.name
        dataset = record.datasetId
        target = record.target
        task = record.task
        algorithm = record.algorithm
        status = record.status.rawValue
        error = record.error
        params = (try? JSON.decode(TrainingConfig.self, from: record.configJSON))?.params
        evaluation = record.evaluationJSON.flatMap { try? JSON.decode(Evaluation.self, from: $0) }
        features = record.featuresJSON.flatMap { try? JSON.decode([FeatureColumn].self, from: $0) }
        trainRows = record.trainRows
        testRows = record.testRows
        trainingSeconds = record.trainingSeconds
        createdAt = Timestamps.iso(record.createdAt)
        trainedAt = record.trainedAt.map(Timestamps.iso)
        links = [
            "self": "/api/models/\(record.id)", "predict": "/api/models/\(record.id)/predict", "page": "/models/\(record.id)",
            "feedback": "/api/models/\(record.id)/feedback", "drift": "/api/models/\(record.id)/drift",
            "live": "/api/models/\(record.id)/live", "retrain": "/api/models/\(record.id)/retrain",
            "versions": "/api/models/\(record.id)/versions", "runs": "/api/runs?model=\(record.id)",
        ]
    }
}
