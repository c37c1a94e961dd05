import Foundation
import Hummingbird

/// `/api/datasets`: upload, list, show, delete.
struct DatasetRoutes {
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
    }

    private func createDataset(_ request: Request) async throws -> Response {
        let upload = try await UploadFile.receive(
            request.body, contentType: request.headers[.contentType], to: analyzer.uploadPath(),
            limit: analyzer.configuration.maxUploadSize.bytes)
        let name = request.uri.queryParameters.get("name") ?? upload.fields["name"]
        let record = try await analyzer.createDataset(from: upload, name: name)
        var headers = HTTPFields()
        headers[.location] = "/api/datasets/\(record.id)"
        return try Responses.json(DatasetDTO(record, withColumns: true), status: .created, headers: headers)
    }
}
