import AnalyzerCore
import Foundation
import Hummingbird

/// `POST /api/models/{id}/predict` and `POST /api/serving/{name}/predict`: JSON or CSV in, the
/// same shape out.
struct PredictionRoutes {
    let analyzer: Analyzer
    /// `--max-upload-size` and the shape limits, read once (the configuration never changes).
    private let maxBody: Int
    private let limits: RequestLimits

    init(analyzer: Analyzer) {
        self.analyzer = analyzer
        maxBody = Int(analyzer.configuration.maxUploadSize.bytes)
        limits = analyzer.configuration.requestLimits
    }

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        api.post("models/{id}/predict") { request, context in try await predict(request, modelID: try context.parameters.require("id")) }
        api.post("serving/{name}/predict") { request, context in
            let raw = try context.parameters.require("name")
            let name = raw.removingPercentEncoding ?? raw
            let id = try await analyzer.servedModelID(name: name)
            // The response names the model that answered (`"model": "m_…"`).
            return try await predict(request, modelID: id)
        }
    }

    /// Predicts with `modelID`.
    private func predict(_ request: Request, modelID: String) async throws -> Response {
        let body = try await request.body.collect(upTo: maxBody, flag: "--max-upload-size")
        // The first Content-Type field, without joining repeated fields into a new string.
        if let contentType = request.headers.first(where: { $0.name == .contentType })?.value, Self.isCSV(contentType) {
            let input = try PredictionInput.csv(Data(buffer: body), limits: limits)
            let (model, predictions) = try await analyzer.predict(
                modelID: modelID, rows: input.rows, lines: input.lines, predictionIDs: PredictionLogWriter.makeIDs(input.rows.count))
            return Responses.text(
                PredictionInput.csvOutput(header: input.header, fields: input.fields, predictions: predictions, classes: model.classes),
                contentType: "text/csv; charset=utf-8")
        }
        let loaded = analyzer.loadedModel(modelID)
        let input = try PredictionInput.json(body, limits: limits, keys: loaded?.pipeline.columnNames ?? [])
        let ids = PredictionLogWriter.makeIDs(input.rows.count)
        let predictions: [Prediction]
        if let model = loaded {
            // The usual case: no await between the body and the response.
            predictions = try analyzer.predict(loaded: model, modelID: modelID, rows: input.rows, predictionIDs: ids)
        } else {
            (_, predictions) = try await analyzer.predict(modelID: modelID, rows: input.rows, predictionIDs: ids)
        }
        if input.isBatch {
            return try Responses.json(BatchResponse(model: modelID, predictions: zip(predictions, ids).map { PredictionDTO($0.0, id: $0.1) }))
        }
        if let json = SingleResponseJSON.bytes(model: modelID, prediction: predictions[0], id: ids[0]) {
            return Responses.json(bytes: json.bytes)
        }
        return try Responses.json(SingleResponse(model: modelID, prediction: PredictionDTO(predictions[0], id: ids[0])))
    }

    /// Whether a Content-Type names CSV (`text/csv`, any case, any parameters).
    static func isCSV(_ contentType: String) -> Bool {
        let prefix = "text/csv".utf8
        var bytes = contentType.utf8.makeIterator()
        for expected in prefix {
            guard let byte = bytes.next() else { return false }
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            guard lower == expected else { return false }
        }
        return true
    }
}
