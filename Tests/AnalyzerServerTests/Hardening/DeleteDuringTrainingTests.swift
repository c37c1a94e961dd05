import AnalyzerStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnalyzerServer

/// Issue 18: a model deleted while it trained came back (GET 404 but predict 200, its artifact and
/// run written). The training's outcome now finds no `training` row and is discarded; the store's
/// side is in StoreContractTests (SQLite and PostgreSQL), this is the service's, on each store.
@Suite(.serialized) struct DeleteDuringTrainingTests {
    /// 20,000 rows: a 300-tree forest on them trains for seconds, long enough to be deleted mid-way.
    static func slowDataset() -> Data {
        var rng = SystemRandomNumberGenerator()
        var text = "a,b,c,d,e,f,label\n"
        for _ in 0..<20_000 {
            let values = (0..<6).map { _ in Double.random(in: 0..<100, using: &rng) }
            let label = values[0] + values[1] > 100 ? "yes" : "no"
            text += values.map { String(format: "%.3f", $0) }.joined(separator: ",") + ",\(label)\n"
        }
        return Data(text.utf8)
    }

    static var stores: [String] { TestPostgres.url == nil ? ["sqlite"] : ["sqlite", "postgresql"] }

    @Test(arguments: stores) func aModelDeletedWhileTrainingStaysDeleted(_ store: String) async throws {
        var cleanup: @Sendable () -> Void = {}
        var databaseURL: String?
        if store == "postgresql" {
            let (url, drop) = try TestPostgres.freshDatabase()
            databaseURL = url
            cleanup = drop
        }
        defer { cleanup() }
        let url = databaseURL
        try await TestService.run(configure: { $0.syncTrainingRowLimit = 1_000; $0.databaseURL = url }) { client, analyzer in
            let upload = try await client.call(.post, "/api/datasets", body: Self.slowDataset(), contentType: "text/csv")
            let dataset = try #require(upload.json["id"] as? String, "\(upload.text)")
            let train = try await client.json(
                .post, "/api/models",
                ["dataset": dataset, "target": "label", "algorithm": "random_forest", "params": ["n_estimators": 300]])
            #expect(train.status == .accepted, "\(train.text)")
            let id = try #require(train.json["id"] as? String)
            let job = try #require(analyzer.trainingJobs.withLock { $0[id] })

            let delete = try await client.call(.delete, "/api/models/\(id)")
            #expect(delete.status == .noContent)
            // Meaningful only if the DELETE met a running training.
            try #require(analyzer.trainingJobs.withLock { $0[id] } != nil, "the training finished before the DELETE")
            await job.value

            #expect(try await client.call(.get, "/api/models/\(id)").status == .notFound)
            let predict = try await client.json(.post, "/api/models/\(id)/predict", ["a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6])
            #expect(predict.status == .notFound, "a deleted model answered: \(predict.text)")
            #expect(try await analyzer.runs(model: id, limit: 10).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: analyzer.files.modelFile(id).path))
            let models = try await client.call(.get, "/api/models")
            #expect((models.json["models"] as? [Any])?.isEmpty == true, "\(models.text)")
        }
    }
}
