import AnalyzerServer
import AnalyzerStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Predictions reach the prediction log in the background, under the id the API returned.
@Suite struct PredictionLogTests {
    static let setosa: [String: Double] = ["sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2]

    @Test func predictionsAreLoggedUnderTheirIds() async throws {
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, ids) = try await TestService.run(dataDirectory: dir) { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            let single = try await client.json(.post, "/api/models/\(model)/predict", Self.setosa)
            let batch = try await client.json(.post, "/api/models/\(model)/predict", [Self.setosa, Self.setosa])
            let batchIDs = (batch.json["predictions"] as? [[String: Any]])?.compactMap { $0["prediction_id"] as? String } ?? []
            return (model, [try #require(single.json["prediction_id"] as? String)] + batchIDs)
        }
        #expect(ids.count == 3 && Set(ids).count == 3)
        // Shutdown flushed the queue: the log holds every prediction.
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("csv-analyzer.sqlite").path)
        let entries = try await store.recentPredictions(model: model, limit: 10)
        #expect(Set(entries.map(\.id)) == Set(ids))
        let entry = try #require(try await store.prediction(id: ids[0]))
        let inputs = try #require(try JSONSerialization.jsonObject(with: Data(entry.inputsJSON.utf8)) as? [String: Any])
        #expect(inputs["petal length (cm)"] as? Double == 1.4)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(entry.outputJSON.utf8)) as? [String: Any])
        #expect(output["label"] as? String == "setosa")
        try await store.close()
    }

    @Test func predictionLogOffWritesNothing() async throws {
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try await TestService.run(dataDirectory: dir, configure: { $0.predictionLog = .off }) { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            #expect(try await client.json(.post, "/api/models/\(model)/predict", Self.setosa).status == .ok)
            return model
        }
        let store = try await SQLiteStore.open(path: dir.appendingPathComponent("csv-analyzer.sqlite").path)
        #expect(try await store.recentPredictions(model: model, limit: 10).isEmpty)
        try await store.close()
    }
}
