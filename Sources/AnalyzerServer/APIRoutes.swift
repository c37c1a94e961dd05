import AnalyzerCore
import Foundation
import Hummingbird

/// The JSON API under `/api`.
struct APIRoutes {
    let analyzer: Analyzer

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        api.post("datasets") { request, _ in try await createDataset(request) }
        api.get("datasets") { _, _ in try Responses.json(["datasets": try await analyzer.datasets().map { DatasetDTO($0, withColumns: false) }]) }
        api.get("datasets/{id}") { _, context in
            try Responses.json(DatasetDTO(try await analyzer.dataset(try context.parameters.require("id")), withColumns: true))
        }
        api.delete("datasets/{id}") { _, context in
            try await analyzer.deleteDataset(try context.parameters.require("id"))
            return Responses.noContent()
        }
        api.post("models") { request, _ in try await train(request) }
        api.get("models") { _, _ in try Responses.json(["models": try await analyzer.models().map(ModelDTO.init)]) }
        api.get("models/{id}") { _, context in try Responses.json(ModelDTO(try await analyzer.model(try context.parameters.require("id")))) }
        api.delete("models/{id}") { _, context in
            try await analyzer.deleteModel(try context.parameters.require("id"))
            return Responses.noContent()
        }
        api.post("models/{id}/predict") { request, context in try await predict(request, modelID: try context.parameters.require("id")) }
    }

    private func createDataset(_ request: Request) async throws -> Response {
        let upload = try await UploadFile.receive(
            request.body, contentType: request.headers[.contentType], to: analyzer.uploadPath(),
            limit: analyzer.configuration.maxUploadBytes)
        let name = request.uri.queryParameters.get("name") ?? upload.fields["name"]
        let record = try await analyzer.createDataset(from: upload, name: name)
        var headers = HTTPFields()
        headers[.location] = "/api/datasets/\(record.id)"
        return try Responses.json(DatasetDTO(record, withColumns: true), status: .created, headers: headers)
    }

    private func train(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let trainRequest = try TrainRequest.decode(Data(buffer: body))
        let record = try await analyzer.train(trainRequest)
        var headers = HTTPFields()
        headers[.location] = "/api/models/\(record.id)"
        return try Responses.json(ModelDTO(record), status: record.status == .ready ? .created : .accepted, headers: headers)
    }

    /// Predicts with `modelID` (also used by `POST /api/serving/{name}/predict`).
    func predict(_ request: Request, modelID: String) async throws -> Response {
        let body = try await request.body.collect(upTo: Int(analyzer.configuration.maxUploadBytes))
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        if contentType.hasPrefix("text/csv") {
            let input = try PredictionInput.csv(Data(buffer: body))
            let (model, predictions) = try await analyzer.predict(
                modelID: modelID, rows: input.rows, lines: input.lines, predictionIDs: PredictionLogWriter.makeIDs(input.rows.count))
            return Responses.text(
                PredictionInput.csvOutput(header: input.header, fields: input.fields, predictions: predictions, classes: model.classes),
                contentType: "text/csv; charset=utf-8")
        }
        let input = try PredictionInput.json(body)
        let ids = PredictionLogWriter.makeIDs(input.rows.count)
        let (_, predictions) = try await analyzer.predict(modelID: modelID, rows: input.rows, predictionIDs: ids)
        if input.isBatch {
            return try Responses.json(BatchResponse(model: modelID, predictions: zip(predictions, ids).map { PredictionDTO($0.0, id: $0.1) }))
        }
        if let text = SingleResponseJSON.render(model: modelID, prediction: predictions[0], id: ids[0]) {
            return Responses.jsonText(text)
        }
        return try Responses.json(SingleResponse(model: modelID, prediction: PredictionDTO(predictions[0], id: ids[0])))
    }

    struct BatchResponse: Encodable {
        let model: String
        let predictions: [PredictionDTO]
    }

    struct SingleResponse: Encodable {
        let model: String
        let prediction: PredictionDTO

        func encode(to encoder: any Encoder) throws {
            try prediction.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(model, forKey: .model)
        }

        enum Key: String, CodingKey { case model }
    }
}
