import AnalyzerCore
import Foundation
import Hummingbird

/// Retraining, versions, the served version and training runs.
struct ModelVersionRoutes {
    let analyzer: Analyzer

    /// Most runs `GET /api/runs` returns.
    static let maxRuns = 1000

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        api.post("models/{id}/retrain") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 1 << 20, flag: nil)
            let dataset = try Self.retrainDataset(Data(buffer: body))
            let record = try await analyzer.retrain(id, dataset: dataset)
            let version = try await analyzer.store.modelVersion(modelID: record.id)?.version
            var headers = HTTPFields()
            headers[.location] = "/api/models/\(record.id)"
            return try Responses.json(
                RetrainResponse(model: ModelDTO(record), version: version, retrainedFrom: id),
                status: record.status == .ready ? .created : .accepted, headers: headers)
        }
        api.get("models/{id}/versions") { _, context in
            try Responses.json(try await analyzer.versions(of: try context.parameters.require("id")))
        }
        api.post("models/{id}/serve") { _, context in
            try Responses.json(try await analyzer.serve(try context.parameters.require("id")))
        }
        api.get("runs") { request, _ in
            let query = request.uri.queryParameters
            var limit = 100
            if let text = query.get("limit") {
                guard let value = Int(text), (1...Self.maxRuns).contains(value) else {
                    throw AnalyzerError.invalid("invalid_parameter", "query parameter 'limit' must be an integer in 1…\(Self.maxRuns), got '\(text)'")
                }
                limit = value
            }
            let model = query.get("model").flatMap { $0.isEmpty ? nil : $0 }
            return try Responses.json(["runs": try await analyzer.runs(model: model, limit: limit).map(RunDTO.init)])
        }
        api.get("runs/{id}") { _, context in
            try Responses.json(RunDTO(try await analyzer.run(try context.parameters.require("id"))))
        }
    }

    /// The optional body of a retrain request: `{}` or `{"dataset": "ds_…"}`.
    static func retrainDataset(_ data: Data) throws -> String? {
        guard data.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        let object = try JSON.object(data, expected: "body must be a JSON object: {} or {\"dataset\": \"ds_…\"}")
        if let unknown = object.keys.sorted().first(where: { $0 != "dataset" }) {
            throw AnalyzerError.invalid("unknown_field", "unknown field '\(unknown)'; expected: dataset (the other settings are the model's own)")
        }
        guard let raw = object["dataset"], !(raw is NSNull) else { return nil }
        guard let dataset = raw as? String, !dataset.isEmpty else {
            throw AnalyzerError.invalid("invalid_field", "field 'dataset' must be a dataset id (string)")
        }
        return dataset
    }

    /// The new model (as `POST /api/models` returns it) plus its version and the model it retrains.
    struct RetrainResponse: Encodable {
        let model: ModelDTO
        let version: Int?
        let retrainedFrom: String

        enum Key: String, CodingKey {
            case version
            case retrainedFrom = "retrained_from"
        }

        func encode(to encoder: any Encoder) throws {
            try model.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(version, forKey: .version)
            try c.encode(retrainedFrom, forKey: .retrainedFrom)
        }
    }
}
