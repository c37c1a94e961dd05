import AnalyzerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Retraining creates a new version under the model's name; one version can be marked served;
/// every training is recorded as a run (params, metrics, dataset fingerprint, artifact).
@Suite struct ModelVersionTests {
    static let iris = TestService.fixtures.appendingPathComponent("iris.csv")

    @Test func retrainCreatesANewVersionAndServingFollowsTheMark() async throws {
        try await TestService.run { client, _ in
            let first = try await client.trainModel(on: Self.iris, name: "iris-prod")
            let v1 = try await client.call(.get, "/api/models/\(first)/versions").json
            #expect(v1["name"] as? String == "iris-prod")
            #expect((v1["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])

            let retrained = try await client.call(.post, "/api/models/\(first)/retrain")
            #expect(retrained.status == .created, "\(retrained.text)")
            let second = try #require(retrained.json["id"] as? String)
            #expect(second != first)
            #expect(retrained.json["version"] as? Int == 2)
            #expect(retrained.json["retrained_from"] as? String == first)
            #expect(retrained.json["name"] as? String == "iris-prod")
            #expect(retrained.json["algorithm"] as? String == "logistic_regression")

            // Another dataset: same settings, version 3.
            let upload = try await client.call(.post, "/api/datasets?name=iris-2", body: try Data(contentsOf: Self.iris), contentType: "text/csv")
            let dataset = try #require(upload.json["id"] as? String)
            let third = try await client.json(.post, "/api/models/\(second)/retrain", ["dataset": dataset])
            #expect(third.status == .created, "\(third.text)")
            #expect(third.json["version"] as? Int == 3 && third.json["dataset"] as? String == dataset)
            let thirdID = try #require(third.json["id"] as? String)

            var versions = try await client.call(.get, "/api/models/\(first)/versions").json
            #expect((versions["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [3, 2, 1])
            #expect(versions["served"] as? String == thirdID, "the newest ready version serves by default")
            #expect(versions["served_explicitly"] as? Bool == false)

            // Mark version 1 served: predictions by name go to it.
            let served = try await client.call(.post, "/api/models/\(first)/serve")
            #expect(served.status == .ok)
            versions = try await client.call(.get, "/api/models/\(thirdID)/versions").json
            #expect(versions["served"] as? String == first && versions["served_explicitly"] as? Bool == true)
            #expect((versions["versions"] as? [[String: Any]])?.first { $0["served"] as? Bool == true }?["version"] as? Int == 1)
            let row: [String: Double] = ["sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2]
            let byName = try await client.json(.post, "/api/serving/iris-prod/predict", row)
            #expect(byName.status == .ok && byName.json["model"] as? String == first && byName.json["prediction"] as? String == "setosa")
            #expect(try await client.json(.post, "/api/serving/nope/predict", row).status == .notFound)

            // Deleting the served version falls back to the newest.
            #expect(try await client.call(.delete, "/api/models/\(first)").status == .noContent)
            let fallback = try await client.json(.post, "/api/serving/iris-prod/predict", row)
            #expect(fallback.json["model"] as? String == thirdID)
            // Version numbers are never reused.
            let fourth = try await client.call(.post, "/api/models/\(thirdID)/retrain")
            #expect(fourth.json["version"] as? Int == 4, "\(fourth.text)")

            let bad = try await client.json(.post, "/api/models/\(second)/retrain", ["algorithm": "ridge"])
            #expect(bad.status == .unprocessableContent && bad.json.errorCode == "unknown_field")
            let missingData = try await client.json(.post, "/api/models/\(second)/retrain", ["dataset": "ds_nope"])
            #expect(missingData.status == .notFound && missingData.json.errorCode == "dataset_not_found")

            // The pages show versions, the retrain button and the runs.
            let page = try await client.call(.get, "/models/\(second)").text
            #expect(page.contains("Versions") && page.contains("/models/\(second)/retrain") && page.contains("Training runs"))
            let htmlRetrain = try await client.call(.post, "/models/\(second)/retrain")
            #expect(htmlRetrain.status == .seeOther)
        }
    }

    @Test func everyTrainingIsRecordedAsARun() async throws {
        try await TestService.run { client, _ in
            let model = try await client.trainModel(on: Self.iris, algorithm: "random_forest")
            let shown = try await client.call(.get, "/api/models/\(model)").json
            let accuracy = try #require(((shown["evaluation"] as? [String: Any])?["classification"] as? [String: Any])?["accuracy"] as? Double)
            let failed = try await client.json(.post, "/api/models", ["dataset": shown["dataset"]!, "target": "target", "algorithm": "random_forest", "params": ["n_estimators": 0]])
            #expect(failed.status == .unprocessableContent)

            let runs = try #require(try await client.call(.get, "/api/runs").json["runs"] as? [[String: Any]])
            let run = try #require(runs.first { $0["model"] as? String == model })
            #expect(run["status"] as? String == "finished")
            #expect(run["model_version"] as? Int == 1)
            let metrics = try #require(run["metrics"] as? [String: Double])
            #expect(metrics["accuracy"] == accuracy)
            #expect(metrics["train_rows"] == 120 && metrics["test_rows"] == 30)
            let params = try #require(run["params"] as? [String: String])
            #expect(params["algorithm"] == "random_forest" && params["target"] == "target" && params["n_estimators"] == "100")
            let dataset = try #require(run["dataset"] as? [String: Any])
            let fixture = try TestService.fixture("iris.csv")
            #expect(dataset["rows"] as? Int == 150 && dataset["columns"] as? Int == 5)
            #expect((dataset["sha256"] as? String)?.count == 64)
            #expect((run["artifact"] as? [String: Any])?["path"] as? String == "models/\(model).model")
            #expect(((run["artifact"] as? [String: Any])?["bytes"] as? Int ?? 0) > 0)
            #expect((run["duration_seconds"] as? Double ?? -1) >= 0)
            #expect(run["mlflow"] == nil, "MLflow is off without a tracking URI")
            _ = fixture
            // A training that failed is a failed run, with the reason.
            let failedRun = try #require(runs.first { $0["status"] as? String == "failed" })
            #expect((failedRun["error"] as? String)?.contains("n_estimators") == true)
            #expect(failedRun["model_version"] == nil && failedRun["artifact"] == nil)

            // One run by id, the runs of one model.
            let one = try await client.call(.get, "/api/runs/\(run["id"] as! String)")
            #expect(one.status == .ok && one.json["model"] as? String == model)
            #expect((try await client.call(.get, "/api/runs?model=\(model)").json["runs"] as? [Any])?.count == 1)
            #expect(try await client.call(.get, "/api/runs/run_nope").json.errorCode == "run_not_found")
            #expect(try await client.call(.get, "/api/runs?limit=0").json.errorCode == "invalid_parameter")
            let page = try await client.call(.get, "/runs").text
            #expect(page.contains(model) && page.contains("models/\(model).model"))
        }
    }
}
