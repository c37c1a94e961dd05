import AnalyzerCore
import AnalyzerStore
import Foundation

/// The versions of one model name and the one that is served, in API form.
struct ModelVersions: Encodable, Sendable {
    let name: String
    /// The served model: the one marked served, else the newest ready version.
    let served: String?
    /// Whether ``served`` was marked (`POST /api/models/{id}/serve`) rather than defaulted.
    let servedExplicitly: Bool
    /// Newest first.
    let versions: [ModelVersionRecord]
    /// The models by id.
    let models: [String: ModelRecord]

    struct Entry: Encodable {
        let version: Int
        let model: String
        let status: String
        let served: Bool
        let algorithm: String
        let dataset: String
        let createdAt: String
        let score: Double?
        let links: [String: String]

        enum CodingKeys: String, CodingKey {
            case version, model, status, served, algorithm, dataset, score, links
            case createdAt = "created_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, served, versions
        case servedExplicitly = "served_explicitly"
    }

    /// The versions with their models' status and headline score (accuracy or R²).
    var entries: [Entry] {
        versions.compactMap { v in
            guard let record = models[v.modelId] else { return nil }
            let evaluation = record.evaluationJSON.flatMap { try? JSON.decode(Evaluation.self, from: $0) }
            return Entry(
                version: v.version, model: v.modelId, status: record.status.rawValue, served: v.modelId == served,
                algorithm: record.algorithm, dataset: record.datasetId, createdAt: Timestamps.iso(v.createdAt),
                score: evaluation?.primaryScore,
                links: ["self": "/api/models/\(v.modelId)", "page": "/models/\(v.modelId)"])
        }
    }

    /// The version number of a model.
    func version(of model: String) -> Int? { versions.first { $0.modelId == model }?.version }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(served, forKey: .served)
        try c.encode(servedExplicitly, forKey: .servedExplicitly)
        try c.encode(entries, forKey: .versions)
    }
}
