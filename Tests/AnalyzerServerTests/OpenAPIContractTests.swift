@testable import AnalyzerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The checked-in OpenAPI document (`Sources/AnalyzerServer/HTTP/openapi.json`) against the router:
/// every registered route is documented and every documented operation is routed. Schemathesis
/// (`scripts/test-contract`) checks the bodies and statuses against a live server.
@Suite struct OpenAPIContractTests {
    /// `"GET /api/models/{id}"` for every operation of the document.
    static func documentedOperations() throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        return Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    @Test func everyRouteIsDocumentedAndEveryOperationRouted() async throws {
        let directory = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.logLevel = .warning
        let analyzer = try await AnalyzerApplication.makeAnalyzer(configuration, workerSlot: nil, memoryShare: nil, recover: false)
        let router = AnalyzerApplication.makeRouter(analyzer, supervisor: nil)
        await analyzer.shutdown()
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = try Self.documentedOperations()
        #expect(routed.count > 30, "\(routed.sorted())")
        #expect(routed.subtracting(documented).sorted() == [], "routes missing from openapi.json")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations without a route")
    }

    @Test func theServiceServesTheDocument() async throws {
        try await TestService.run { client, _ in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(Array(Data(buffer: response.body)) == OpenAPIDocument.bytes)
            }
        }
    }

    @Test func everyErrorResponseUsesTheErrorBody() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        for (name, response) in responses {
            let content = response["content"] as? [String: [String: Any]]
            let schema = content?["application/json"]?["schema"] as? [String: String]
            #expect(schema?["$ref"] == "#/components/schemas/Error", "\(name)")
        }
    }
}
