import AnalyzerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Feedback (true labels for earlier predictions) moves the rolling live scores exactly as
/// expected; the `model_degrade` fault and the shifted rows of `scenarios/degrade.yaml` push live
/// accuracy below the 0.75 alert threshold.
@Suite struct LiveQualityTests {
    static let iris = TestService.fixtures.appendingPathComponent("iris.csv")

    static func feedback(_ client: any TestClientProtocol, _ model: String, _ items: [[String: Any]]) async throws -> [String: Any] {
        let reply = try await client.json(.post, "/api/models/\(model)/feedback", items)
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.json
    }

    @Test func feedbackMovesLiveAccuracyAsExpected() async throws {
        try await TestService.run(configure: { $0.feedbackWindow = 15 }) { client, _ in
            let model = try await client.trainModel(on: Self.iris)
            let traffic = try ScenarioTraffic("predict-peak").draw(20, seed: 11)
            let predicted = try await client.predictAll(model, traffic.map(\.row))
            #expect(predicted.count == 20 && Set(predicted.map(\.id)).count == 20)
            #expect(try await client.metric("model_live_accuracy", model: model) == nil, "no label yet")

            // 10 labels that agree with the predictions: live accuracy 1.
            let right = predicted.prefix(10).map { ["prediction_id": $0.id, "label": $0.label] as [String: Any] }
            let first = try await Self.feedback(client, model, right)
            #expect(first["accepted"] as? Int == 10)
            let live = try #require(first["live"] as? [String: Any])
            #expect(live["labelled"] as? Int == 10 && live["accuracy"] as? Double == 1 && live["f1_score"] as? Double == 1)
            #expect(try await client.metric("model_live_accuracy", model: model) == 1)

            // 10 wrong labels: the window (15) holds these 10 and 5 of the right ones → 5/15.
            let classes = ["setosa", "versicolor", "virginica"]
            let wrong = predicted.suffix(10).map { p in ["prediction_id": p.id, "label": classes.first { $0 != p.label }!] as [String: Any] }
            try await Task.sleep(for: .milliseconds(5))  // later timestamps than the first batch
            let second = try await Self.feedback(client, model, wrong)
            let after = try #require(second["live"] as? [String: Any])
            #expect(after["labelled"] as? Int == 15)
            #expect(after["window"] as? Int == 15)
            #expect(abs((after["accuracy"] as? Double ?? -1) - 5.0 / 15) < 1e-12)
            #expect(try await client.metric("model_live_accuracy", model: model).map { abs($0 - 5.0 / 15) < 1e-12 } == true)
            #expect(try await client.metric("model_live_f1_score", model: model) != nil)
            #expect(try await client.metric("model_feedback_total", model: model) == 20)
            #expect(try await client.metric("model_accuracy", model: model) != nil, "the test-set score stays beside it")

            // Correcting a label replaces it.
            try await Task.sleep(for: .milliseconds(5))
            let fixed = try await Self.feedback(client, model, [["prediction_id": predicted[19].id, "label": predicted[19].label]])
            #expect(abs(((fixed["live"] as? [String: Any])?["accuracy"] as? Double ?? -1) - 6.0 / 15) < 1e-12)
            let fetched = try await client.call(.get, "/api/models/\(model)/live").json
            #expect(abs((fetched["accuracy"] as? Double ?? -1) - 6.0 / 15) < 1e-12)
            #expect((fetched["test"] as? [String: Any])?["classification"] != nil)
        }
    }

    @Test func feedbackErrorsNameTheFieldAndTheId() async throws {
        try await TestService.run { client, _ in
            let model = try await client.trainModel(on: Self.iris)
            let other = try await client.trainModel(on: Self.iris, algorithm: "decision_tree")
            let predicted = try await client.predictAll(other, try ScenarioTraffic("predict-peak").draw(2, seed: 12).map(\.row))
            let unknown = try await client.json(.post, "/api/models/\(model)/feedback", ["prediction_id": "no-such-id", "label": "setosa"])
            #expect(unknown.status == .notFound)
            #expect(unknown.json.errorCode == "prediction_not_found" && unknown.json.errorMessage.contains("no-such-id"))
            let mismatch = try await client.json(.post, "/api/models/\(model)/feedback", [["prediction_id": predicted[0].id, "label": "setosa"]])
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.json.errorCode == "prediction_model_mismatch" && mismatch.json.errorMessage.contains("[0].prediction_id"))
            let missing = try await client.json(.post, "/api/models/\(other)/feedback", [["prediction_id": predicted[0].id], ["label": "x"]])
            #expect(missing.json.errorCode == "missing_field" && missing.json.errorMessage.contains("[0].label"))
            let noID = try await client.json(.post, "/api/models/\(other)/feedback", ["label": "x"])
            #expect(noID.json.errorCode == "missing_field" && noID.json.errorMessage.contains("prediction_id"))
            let extra = try await client.json(.post, "/api/models/\(other)/feedback", ["prediction_id": "x", "label": "x", "truth": 1])
            #expect(extra.json.errorCode == "unknown_field" && extra.json.errorMessage.contains("truth"))
            let broken = try await client.call(.post, "/api/models/\(other)/feedback", body: Data("{".utf8))
            #expect(broken.status == .badRequest && broken.json.errorCode == "invalid_json")
            let noModel = try await client.json(.post, "/api/models/m_nope/feedback", ["prediction_id": "x", "label": "x"])
            #expect(noModel.status == .notFound && noModel.json.errorCode == "model_not_found")
            // Nothing was stored by the failed requests.
            #expect(try await client.metric("model_feedback_total", model: other) == nil)
        }
    }

    @Test func regressionFeedbackGivesLiveMAEAndR2() async throws {
        try await TestService.run { client, _ in
            let model = try await client.trainModel(on: TestService.fixtures.appendingPathComponent("diabetes.csv"), algorithm: "linear_regression")
            let text = try String(contentsOf: TestService.fixtures.appendingPathComponent("diabetes.csv"), encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let header = lines[0]
            var rows: [[String: Double]] = [], truth: [Double] = []
            for fields in lines[1...40] {
                var row: [String: Double] = [:]
                for (name, value) in zip(header, fields) { if name == "target" { truth.append(Double(value)!) } else { row[name] = Double(value)! } }
                rows.append(row)
            }
            var predictions: [(String, Double)] = []
            for chunk in stride(from: 0, to: rows.count, by: 10) {
                let reply = try await client.json(.post, "/api/models/\(model)/predict", Array(rows[chunk..<chunk + 10]))
                for p in reply.json["predictions"] as? [[String: Any]] ?? [] { predictions.append((p["prediction_id"] as! String, p["prediction"] as! Double)) }
            }
            let items = zip(predictions, truth).map { ["prediction_id": $0.0.0, "value": $0.1] as [String: Any] }
            let live = try #require(try await Self.feedback(client, model, items)["live"] as? [String: Any])
            let mae = zip(predictions, truth).map { abs($0.0.1 - $0.1) }.reduce(0, +) / Double(truth.count)
            #expect(abs((live["mae"] as? Double ?? -1) - mae) < 1e-9)
            #expect(live["accuracy"] == nil)
            #expect(try await client.metric("model_live_mae", model: model).map { abs($0 - mae) < 1e-9 } == true)
            #expect(try await client.metric("model_live_r2", model: model) != nil)
            let wrongKind = try await client.json(.post, "/api/models/\(model)/feedback", ["prediction_id": predictions[0].0, "label": "setosa"])
            #expect(wrongKind.json.errorCode == "missing_field" && wrongKind.json.errorMessage.contains("value"))
        }
    }

    @Test func theModelDegradeFaultPushesLiveAccuracyBelowTheAlert() async throws {
        try await TestService.run(configure: { $0.adminToken = FaultTests.token }) { client, _ in
            let model = try await client.trainModel(on: Self.iris)
            let traffic = try ScenarioTraffic("predict-peak").draw(90, seed: 13)
            // Healthy first: live accuracy near the test accuracy.
            let healthy = try await client.predictAll(model, Array(traffic.prefix(30)).map(\.row))
            let before = try await Self.feedback(client, model, zip(healthy, traffic).map { ["prediction_id": $0.0.id, "label": $0.1.label] })
            #expect(((before["live"] as? [String: Any])?["accuracy"] as? Double ?? 0) >= 0.9)
            let fault = try await FaultTests.admin(client, .post, "/admin/faults", ["type": "model_degrade", "model": model, "ttl": "60s"])
            #expect(fault.status == .created)
            let degraded = try await client.predictAll(model, traffic.suffix(60).map(\.row))
            let after = try await Self.feedback(client, model, zip(degraded, traffic.suffix(60)).map { ["prediction_id": $0.0.id, "label": $0.1.label] })
            let accuracy = try #require((after["live"] as? [String: Any])?["accuracy"] as? Double)
            #expect(accuracy < 0.75, "live accuracy under model_degrade: \(accuracy)")
            #expect(try #require(try await client.metric("model_live_accuracy", model: model)) < 0.75)
        }
    }

    @Test func degradeScenarioPushesLiveAccuracyBelowTheAlertAndCleanRowsDoNot() async throws {
        try await TestService.run { client, _ in
            let scenario = try ScenarioTraffic("degrade")
            #expect(Set(scenario.sources.map(\.feeder)) == ["iris", "shifted"])
            for (tags, expectLow) in [(["iris", "shifted"], true), (["iris"], false)] {
                let model = try await client.trainModel(on: scenario.trainingFile)
                let traffic = scenario.draw(300, seed: 14).filter { tags.contains($0.feeder) }
                let predicted = try await client.predictAll(model, traffic.map(\.row))
                let reply = try await Self.feedback(client, model, zip(predicted, traffic).map { ["prediction_id": $0.0.id, "label": $0.1.label] })
                let accuracy = try #require((reply["live"] as? [String: Any])?["accuracy"] as? Double)
                if expectLow {
                    #expect(accuracy < 0.75, "degrade.yaml (all tasks): live accuracy \(accuracy)")
                } else {
                    #expect(accuracy >= 0.9, "degrade.yaml --tags clean: live accuracy \(accuracy)")
                }
            }
        }
    }
}
