import AnalyzerServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// PSI drift in the service: the rows `scenarios/drift.yaml` sends push `model_psi_max` above the
/// 0.2 alert threshold, the rows `scenarios/predict-peak.yaml` sends keep it below 0.1, and the
/// window forgets old inputs by size and by age.
@Suite struct DriftMonitoringTests {
    /// Rows per scenario: the default window (1000) full.
    static let rows = 1000

    static func drive(_ client: any TestClientProtocol, scenario: String, seed: UInt64) async throws -> (model: String, drift: [String: Any]) {
        let traffic = try ScenarioTraffic(scenario)
        #expect(!traffic.sources.isEmpty, "\(scenario).yaml sends no json_row predictions")
        let model = try await client.trainModel(on: traffic.trainingFile)
        _ = try await client.predictAll(model, traffic.draw(rows, seed: seed).map(\.row))
        let drift = try await client.call(.get, "/api/models/\(model)/drift")
        #expect(drift.status == .ok, "\(drift.text)")
        return (model, drift.json)
    }

    @Test func driftScenarioPassesTheAlertThresholdAndPredictPeakStaysStable() async throws {
        try await TestService.run { client, _ in
            let (peak, peakDrift) = try await Self.drive(client, scenario: "predict-peak", seed: 1)
            let (drifted, driftDrift) = try await Self.drive(client, scenario: "drift", seed: 2)

            #expect(peakDrift["window_size"] as? Int == Self.rows)
            let peakMax = try #require(peakDrift["psi_max"] as? Double)
            #expect(peakMax < 0.1, "predict-peak.yaml: psi_max \(peakMax)")
            #expect(peakDrift["verdict"] as? String == "stable")
            let driftMax = try #require(driftDrift["psi_max"] as? Double)
            #expect(driftMax > 0.2, "drift.yaml: psi_max \(driftMax)")
            #expect(driftDrift["verdict"] as? String == "drifted")
            // Every shifted feature drifts, with its bins reported.
            let features = try #require(driftDrift["features"] as? [[String: Any]])
            #expect(features.count == 4)
            for feature in features {
                #expect((feature["psi"] as? Double ?? 0) > 0.2, "\(feature["feature"] ?? "?")")
                #expect(feature["verdict"] as? String == "drifted")
                let bins = feature["bins"] as? [[String: Any]] ?? []
                #expect((2...10).contains(bins.count))
                #expect(bins.reduce(0) { $0 + ($1["actual_count"] as? Int ?? 0) } == Self.rows)
            }

            // The gauges of the metrics contract say the same.
            let peakGauge = try #require(try await client.metric("model_psi_max", model: peak))
            let driftGauge = try #require(try await client.metric("model_psi_max", model: drifted))
            #expect(abs(peakGauge - peakMax) < 1e-12 && peakGauge < 0.1)
            #expect(abs(driftGauge - driftMax) < 1e-12 && driftGauge > 0.2)
            let featureGauge = try await client.metric("feature_psi", model: drifted, extra: #"feature="petal length (cm)""#)
            #expect((featureGauge ?? 0) > 0.2)

            // The model page shows it.
            let page = try await client.call(.get, "/models/\(drifted)").text
            #expect(page.contains("Data drift (PSI)") && page.contains("v-drifted") && page.contains("petal length (cm)"))
        }
    }

    @Test func theWindowForgetsOldInputsBySize() async throws {
        try await TestService.run(configure: { $0.driftWindow = 300 }) { client, _ in
            let drift = try ScenarioTraffic("drift"), peak = try ScenarioTraffic("predict-peak")
            let model = try await client.trainModel(on: peak.trainingFile)
            _ = try await client.predictAll(model, drift.draw(300, seed: 3).map(\.row))
            let before = try await client.call(.get, "/api/models/\(model)/drift").json
            #expect(before["verdict"] as? String == "drifted")
            // Twice every unshifted row: the shifted ones are pushed out.
            let source = try #require(peak.sources.first)
            let clean = source.rows.map { fields in
                Dictionary(uniqueKeysWithValues: zip(source.header, fields).filter { $0.0 != "target" }.map { ($0.0, Double($0.1)!) })
            }
            _ = try await client.predictAll(model, clean + clean)
            let after = try await client.call(.get, "/api/models/\(model)/drift").json
            #expect(after["window_size"] as? Int == 300)
            #expect(after["window_capacity"] as? Int == 300)
            #expect((after["psi_max"] as? Double ?? 1) < 0.1, "\(after["psi_max"] ?? "none")")
            #expect(after["verdict"] as? String == "stable")
        }
    }

    @Test func theWindowForgetsOldInputsByAge() async throws {
        // 5 s: room for the two reads below on a loaded machine before the rows age out.
        try await TestService.run(configure: { $0.driftWindowAge = .seconds(5); $0.driftMinimumRows = 10 }) { client, _ in
            let drift = try ScenarioTraffic("drift")
            let model = try await client.trainModel(on: drift.trainingFile)
            // One batch: every row enters the window at the same moment, after `sent`.
            let sent = ContinuousClock.now
            _ = try await client.predictAll(model, drift.draw(50, seed: 4).map(\.row), batch: 50)
            let fresh = try await client.call(.get, "/api/models/\(model)/drift").json
            #expect(fresh["window_size"] as? Int == 50)
            #expect(fresh["window_max_age_seconds"] as? Double == 5)
            #expect(try await client.metric("model_psi_max", model: model) != nil)
            // Forgotten once 5 s old: polled (a loaded machine may get here late), and never before.
            var old: [String: Any] = [:]
            let deadline = sent + .seconds(60)
            repeat {
                try await Task.sleep(for: .milliseconds(200))
                old = try await client.call(.get, "/api/models/\(model)/drift").json
            } while old["window_size"] as? Int != 0 && ContinuousClock.now < deadline
            #expect(ContinuousClock.now - sent >= .seconds(5), "rows forgotten before they were 5 s old")
            #expect(old["window_size"] as? Int == 0)
            #expect(old["verdict"] as? String == "no_data")
            #expect(old["psi_max"] == nil)
            #expect(try await client.metric("model_psi_max", model: model) == nil, "an empty window exports no PSI")
        }
    }

    @Test func fewRowsExportNoGaugeYet() async throws {
        try await TestService.run { client, _ in
            let drift = try ScenarioTraffic("drift")
            let model = try await client.trainModel(on: drift.trainingFile)
            _ = try await client.predictAll(model, drift.draw(20, seed: 5).map(\.row))
            let report = try await client.call(.get, "/api/models/\(model)/drift").json
            #expect(report["window_size"] as? Int == 20)
            #expect(report["gauge_minimum_rows"] as? Int == 100)
            #expect(report["verdict"] as? String == "drifted", "the API reports PSI at once")
            #expect(try await client.metric("model_psi_max", model: model) == nil, "20 rows are below --drift-min-rows")
            let missing = try await client.call(.get, "/api/models/m_nope/drift")
            #expect(missing.status == .notFound)
            #expect(missing.json.errorCode == "model_not_found")
        }
    }
}
