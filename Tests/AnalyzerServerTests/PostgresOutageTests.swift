import AnalyzerServer
import AnalyzerStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// PostgreSQL stopped under a running service: requests that need it get 503 `store_unavailable`,
/// `/readyz` says not ready, predictions from loaded models keep working, and the service recovers
/// by itself when the server is back. Uses a PostgreSQL instance of its own.
@Suite struct PostgresOutageTests {
    static let setosa: [String: Double] = ["sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2]

    @Test(.enabled(if: TestPostgres.url != nil, TestPostgres.skipReason), .timeLimit(.minutes(5)))
    func outageAndRecovery() async throws {
        let dir = "/tmp/firedrill-pg-outage-\(UUID().uuidString.prefix(8))"
        let url = try TestPostgres.script("start", dir)
        defer { _ = try? TestPostgres.script("stop", dir) }

        try await TestService.run(configure: { $0.databaseURL = url }) { client, _ in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            #expect(try await client.json(.post, "/api/models/\(model)/predict", Self.setosa).status == .ok)
            #expect(try await client.call(.get, "/readyz").status == .ok)

            try TestPostgres.script("pause", dir)

            let list = try await client.call(.get, "/api/models")
            #expect(list.status == .serviceUnavailable, "\(list.text)")
            #expect(list.json.errorCode == "store_unavailable")
            #expect(list.json.errorMessage.contains("PostgreSQL"), "\(list.json.errorMessage)")
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable, "\(ready.text)")
            let upload = try await client.call(.post, "/api/datasets", body: try TestService.fixture("iris.csv"), contentType: "text/csv")
            #expect(upload.status == .serviceUnavailable, "\(upload.text)")
            #expect(try await client.json(.post, "/api/models", ["dataset": iris, "target": "target", "algorithm": "ridge"]).status == .serviceUnavailable)
            // Each of those four failures (list, readiness, upload, training) is counted for StoreUnavailable.
            let metrics = try await client.call(.get, "/metrics").text
            let storeErrors = metrics.split(separator: "\n").first { $0.hasPrefix("csv_analyzer_store_errors_total ") }
            #expect(storeErrors.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 4 } == true, "\(storeErrors ?? "no csv_analyzer_store_errors_total")")

            // The loaded model keeps predicting while the database is down: a 200 (not a 503 after a
            // pool timeout) shows no prediction waits for the paused server.
            for _ in 0..<20 {
                let predicted = try await client.json(.post, "/api/models/\(model)/predict", Self.setosa)
                #expect(predicted.status == .ok, "\(predicted.text)")
                #expect(predicted.json["prediction"] as? String == "setosa")
            }
            // Failed requests answer too, after the lease timeout (3 s) rather than the minute for which
            // PostgresClient would queue them: a bound far from both, which a loaded machine cannot reach.
            let start = ContinuousClock.now
            #expect(try await client.call(.get, "/api/datasets").status == .serviceUnavailable)
            #expect(ContinuousClock.now - start < .seconds(30))

            try TestPostgres.script("resume", dir)

            // Recovers by itself within a bounded time.
            let deadline = ContinuousClock.now + .seconds(45)
            var recovered = false
            while ContinuousClock.now < deadline {
                if try await client.call(.get, "/readyz").status == .ok { recovered = true; break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(recovered, "the service did not recover within 45 s of PostgreSQL coming back")
            let after = try await client.call(.get, "/api/models")
            #expect(after.status == .ok, "\(after.text)")
            #expect((after.json["models"] as? [Any])?.count == 1)
            let datasets = try await client.call(.get, "/api/datasets")
            #expect((datasets.json["datasets"] as? [Any])?.count == 1, "the upload refused during the outage must not exist")
            #expect(try await client.upload("iris.csv").hasPrefix("ds_"))

            // The prediction log writes again: a prediction made now reaches the database.
            let fresh = try await client.json(.post, "/api/models/\(model)/predict", Self.setosa)
            let id = try #require(fresh.json["prediction_id"] as? String)
            let reader = try await StoreLocation(parsing: url).open()
            let logged = try await Self.eventually { try await reader.prediction(id: id) != nil }
            try await reader.close()
            #expect(logged, "prediction \(id) never reached the prediction log")
        }
    }

    /// Polls `condition` every 100 ms for at most 60 s (generous: it returns as soon as it holds).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
