import Foundation
import Hummingbird

/// `/api/models`: train, list, show, delete.
struct ModelRoutes {
    let analyzer: Analyzer

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        api.post("models") { request, _ in try await train(request) }
        api.get("models") { _, _ in try Responses.json(["models": try await analyzer.models().map(ModelDTO.init)]) }
        api.get("models/{id}") { _, context in try Responses.json(ModelDTO(try await analyzer.model(try context.parameters.require("id")))) }
        api.delete("models/{id}") { _, context in
            try await analyzer.deleteModel(try context.parameters.require("id"))
            return Responses.noContent()
        }
    }

    private func train(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20, flag: nil)
        let trainRequest = try TrainRequest.decode(Data(buffer: body))
        let record = try await analyzer.train(trainRequest)
        var headers = HTTPFields()
        headers[.location] = "/api/models/\(record.id)"
        return try Responses.json(ModelDTO(record), status: record.status == .ready ? .created : .accepted, headers: headers)
    }
}
