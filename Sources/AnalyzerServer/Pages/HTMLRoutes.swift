import AnalyzerCore
import AnalyzerStore
import Foundation
import Hummingbird
import Mustache

/// Server-rendered pages: the whole upload → train → predict flow in a browser.
struct HTMLRoutes {
    let analyzer: Analyzer
    let library: MustacheLibrary

    init(analyzer: Analyzer) throws {
        self.analyzer = analyzer
        var library = MustacheLibrary()
        for (name, text) in PageTemplates.all.merging(PageTemplates.monitoring, uniquingKeysWith: { a, _ in a }) {
            try library.register(text, named: name)
        }
        self.library = library
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try await home() }
        router.post("datasets") { request, _ in
            do {
                let upload = try await UploadFile.receive(
                    request.body, contentType: request.headers[.contentType], to: analyzer.uploadPath(),
                    limit: analyzer.configuration.maxUploadSize.bytes)
                let record = try await analyzer.createDataset(from: upload, name: upload.fields["name"])
                return Responses.redirect(to: "/datasets/\(record.id)")
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                return try await home(flash: error)
            }
        }
        router.get("datasets/{id}") { _, context in try await datasetPage(try context.parameters.require("id")) }
        router.post("datasets/{id}/delete") { _, context in
            try await guarded { try await analyzer.deleteDataset(try context.parameters.require("id")) }
            return Responses.redirect(to: "/")
        }
        router.post("models") { request, _ in
            let form = try await formFields(request)
            do {
                let record = try await analyzer.train(try trainRequest(from: form))
                return Responses.redirect(to: "/models/\(record.id)")
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                guard let id = form["dataset"], (try? await analyzer.dataset(id)) != nil else { return try await home(flash: error) }
                return try await datasetPage(id, flash: error)
            }
        }
        router.get("models/{id}") { _, context in try await modelPage(try context.parameters.require("id")) }
        router.post("models/{id}/predict") { request, context in
            let id = try context.parameters.require("id")
            let form = try await formFields(request)
            do {
                let row = form.mapValues { $0.isEmpty ? FeatureValue.missing : .string($0) }
                let (_, predictions) = try await analyzer.predict(modelID: id, rows: [row])
                return try await modelPage(id, form: form, result: predictions.first)
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                return try await modelPage(id, form: form, flash: error)
            }
        }
        registerMonitoring(on: router)
        router.post("models/{id}/delete") { _, context in
            try await guarded { try await analyzer.deleteModel(try context.parameters.require("id")) }
            return Responses.redirect(to: "/")
        }
    }

    /// Renders an API error as an HTML page with its status.
    private func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as AnalyzerError {
            let error = APIError(failure)
            throw HTMLError(error: error, html: errorPage(error))
        }
    }

    private func formFields(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 1 << 20, flag: nil)
        return FormFields.parse(String(buffer: body))
    }

    private func trainRequest(from form: [String: String]) throws -> TrainRequest {
        guard let dataset = form["dataset"], let target = form["target"], let algorithm = form["algorithm"] else {
            throw AnalyzerError.invalid("missing_field", "the form needs dataset, target and algorithm")
        }
        var request = TrainRequest(dataset: dataset, target: target, algorithm: algorithm)
        request.task = form["task"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = form["test_fraction"], !text.isEmpty {
            guard let value = Double(text) else { throw AnalyzerError.invalid("invalid_field", "test fraction '\(text)' is not a number") }
            request.testFraction = value
        }
        if let text = form["seed"], !text.isEmpty {
            guard let value = UInt64(text) else { throw AnalyzerError.invalid("invalid_field", "seed '\(text)' is not a non-negative integer") }
            request.seed = value
        }
        request.name = form["name"].flatMap { $0.isEmpty ? nil : $0 }
        return request
    }

    func render(_ template: String, title: String, _ context: [String: Any], flash: APIError? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let content = library.render(context, withTemplate: template) ?? ""
        var page: [String: Any] = ["title": title, "content": content]
        if let flash { page["flash"] = ["code": flash.code, "message": flash.message] }
        return Responses.html(library.render(page, withTemplate: "layout") ?? content, status: flash.map { $0.status } ?? status)
    }

    func errorPage(_ error: APIError) -> Response {
        render("error", title: "Error", ["status": "\(error.status.code) \(error.status.reasonPhrase)", "code": error.code, "message": error.message], status: error.status)
    }

    private func home(flash: APIError? = nil) async throws -> Response {
        let datasets: [[String: Any]] = try await analyzer.datasets().map {
            ["id": $0.id, "name": $0.name, "rows": $0.rowCount, "columns": $0.columnCount, "size": ByteSize.format($0.sizeBytes), "created": Timestamps.iso($0.createdAt)]
        }
        let models: [[String: Any]] = try await analyzer.models().map { record in
            let dto = ModelDTO(record)
            return ["id": record.id, "name": record.name, "algorithm": record.algorithm, "task": record.task, "status": record.status.rawValue,
                    "score": PageFormat.headline(dto.evaluation), "created": Timestamps.iso(record.createdAt)]
        }
        return render(
            "home", title: "Home",
            ["datasets": datasets, "models": models, "hasDatasets": !datasets.isEmpty, "hasModels": !models.isEmpty], flash: flash)
    }

    private func datasetPage(_ id: String, flash: APIError? = nil) async throws -> Response {
        let record: DatasetRecord
        do { record = try await analyzer.dataset(id) } catch let error as AnalyzerError { return errorPage(APIError(error)) }
        let schema = try JSON.decode(DatasetSchema.self, from: record.schemaJSON)
        let columns: [[String: Any]] = schema.columns.enumerated().map { index, column in
            let s = column.summary
            return [
                "name": column.name, "type": column.type.rawValue, "missing": column.missing, "distinct": column.distinct,
                "min": PageFormat.number(s.min), "max": PageFormat.number(s.max), "mean": PageFormat.number(s.mean), "std": PageFormat.number(s.std),
                "top": s.topValues.prefix(5).map { "\($0.value) (\($0.count))" }.joined(separator: ", "),
                "isLast": index == schema.columns.count - 1,
            ]
        }
        return render("dataset", title: record.name, [
            "id": record.id, "name": record.name, "rows": record.rowCount, "columnCount": record.columnCount,
            "size": ByteSize.format(record.sizeBytes), "sha": String(record.sha256.prefix(16)), "columns": columns,
            "algorithms": Algorithm.allCases.map(\.rawValue),
        ], flash: flash)
    }

    private func modelPage(_ id: String, form: [String: String] = [:], result: Prediction? = nil, flash: APIError? = nil) async throws -> Response {
        let record: ModelRecord
        do { record = try await analyzer.model(id) } catch let error as AnalyzerError { return errorPage(APIError(error)) }
        let dto = ModelDTO(record)
        var context: [String: Any] = [
            "id": record.id, "name": record.name, "status": record.status.rawValue, "algorithm": record.algorithm,
            "task": record.task, "target": record.target, "dataset": record.datasetId,
            "ready": record.status == .ready, "training": record.status == .training,
            "metrics": PageFormat.metrics(dto.evaluation), "hasMetrics": dto.evaluation != nil,
        ]
        if let error = record.error { context["error"] = error }
        if let rows = record.trainRows {
            context["trainRows"] = rows
            context["testRows"] = record.testRows ?? 0
            context["seconds"] = String(format: "%.3f", record.trainingSeconds ?? 0)
        }
        if let classification = dto.evaluation?.classification {
            context["hasPerClass"] = true
            context["perClass"] = classification.perClass.map {
                ["label": $0.label, "precision": PageFormat.number($0.precision), "recall": PageFormat.number($0.recall),
                 "f1": PageFormat.number($0.f1), "support": $0.support] as [String: Any]
            }
            let labels = classification.labels
            context["labels"] = labels
            context["matrix"] = classification.confusionMatrix.enumerated().map { i, row in
                ["label": labels[i], "cells": row.enumerated().map { j, count in ["count": count, "hit": i == j] }] as [String: Any]
            }
        }
        context["features"] = (dto.features ?? []).enumerated().map { index, feature in
            var item: [String: Any] = [
                "index": index, "name": feature.name, "type": feature.type.rawValue, "value": form[feature.name] ?? "",
                "placeholder": feature.type.isNumeric ? "number" : "text",
            ]
            if let levels = feature.levels, !levels.isEmpty {
                item["hasChoices"] = true
                item["choices"] = levels.map { ["value": $0, "selected": form[feature.name] == $0] as [String: Any] }
            }
            return item
        }
        if let result {
            var view: [String: Any] = ["prediction": result.label ?? result.value.map { PageFormat.number($0) } ?? ""]
            view["hasProbabilities"] = !(result.probabilities ?? [:]).isEmpty
            view["probabilities"] = (result.probabilities ?? [:]).sorted { $0.value > $1.value }.map { ["label": $0.key, "value": PageFormat.number($0.value)] }
            context["result"] = view
        }
        context["monitoring"] = await monitoringContext(record)
        return render("model", title: record.name, context, flash: flash)
    }
}

/// An API error that should reach a browser as an HTML page.
struct HTMLError: HTTPResponseError {
    let error: APIError
    let html: Response
    var status: HTTPResponse.Status { error.status }
    func response(from request: Request, context: some RequestContext) throws -> Response { html }
}

/// Number formatting for pages.
enum PageFormat {
    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }

    static func metrics(_ evaluation: Evaluation?) -> [[String: String]] {
        var rows: [[String: String]] = []
        if let c = evaluation?.classification {
            rows += [["name": "accuracy", "value": number(c.accuracy)], ["name": "macro F1", "value": number(c.macroF1)],
                     ["name": "weighted F1", "value": number(c.weightedF1)]]
        }
        if let r = evaluation?.regression {
            rows += [["name": "R²", "value": number(r.r2)], ["name": "MAE", "value": number(r.mae)], ["name": "RMSE", "value": number(r.rmse)]]
        }
        return rows
    }

    static func headline(_ evaluation: Evaluation?) -> String {
        if let c = evaluation?.classification { return "accuracy \(number(c.accuracy))" }
        if let r = evaluation?.regression { return "R² \(number(r.r2))" }
        return ""
    }
}
