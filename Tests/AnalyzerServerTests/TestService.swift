import AnalyzerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Test support: a csv-analyzer on a fresh temp data directory, driven through Hummingbird's router tester.
enum TestService {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-analyzer-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` against a service; `configure` adjusts the configuration; the data dir is removed afterwards
    /// unless one is given.
    static func run<T>(
        dataDirectory: URL? = nil, configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, Analyzer) async throws -> T
    ) async throws -> T {
        let dir = dataDirectory ?? temporaryDirectory()
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(at: dir) } }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = dir
        configuration.port = 0
        configuration.logLevel = .warning
        configure(&configuration)
        let (app, analyzer) = try await AnalyzerApplication.build(configuration)
        do {
            let result = try await app.test(.router) { client in try await body(client, analyzer) }
            await analyzer.shutdown()
            return result
        } catch {
            await analyzer.shutdown()
            throw error
        }
    }
}

extension TestService {
    /// No upload left a file behind in `dir` (its `tmp/` and `datasets/`).
    static func expectNoUploadFiles(in dir: URL, _ label: String = "") throws {
        for sub in ["tmp", "datasets"] {
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path)
            #expect(left.isEmpty, "\(label): files left in \(sub): \(left)")
        }
    }
}

extension TestClientProtocol {
    /// Sends a JSON or raw body and returns the status and the decoded JSON object (if any).
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, body: Data? = nil, contentType: String = "application/json"
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any], text: String) {
        var headers = HTTPFields()
        if body != nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            let data = Data(buffer: response.body)
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (response.status, json, String(decoding: data, as: UTF8.self))
        }
    }

    func json(_ method: HTTPRequest.Method, _ uri: String, _ object: Any) async throws -> (status: HTTPResponse.Status, json: [String: Any], text: String) {
        try await call(method, uri, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// Uploads a fixture as raw text/csv and returns the new dataset id.
    func upload(_ fixture: String, name: String? = nil) async throws -> String {
        let uri = "/api/datasets" + (name.map { "?name=\($0)" } ?? "")
        let response = try await call(.post, uri, body: try TestService.fixture(fixture), contentType: "text/csv")
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"] as? String)
    }

    /// Trains and returns the model id (expects synchronous success).
    func train(_ dataset: String, target: String = "target", algorithm: String, extra: [String: Any] = [:]) async throws -> String {
        var body: [String: Any] = ["dataset": dataset, "target": target, "algorithm": algorithm]
        body.merge(extra) { $1 }
        let response = try await json(.post, "/api/models", body)
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.json["id"] as? String)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `error.code` of an API error body.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String { (self["error"] as? [String: Any])?["message"] as? String ?? "" }
}
