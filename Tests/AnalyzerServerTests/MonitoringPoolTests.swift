import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Model monitoring under `serve --workers 2` (real processes): feedback for a prediction one
/// worker served is scored by whichever worker receives it (through the store's prediction log),
/// and the supervisor's merged `/metrics` carries the live scores and the summed feedback count.
@Suite(.serialized) struct MonitoringPoolTests {
    /// One request on a fresh connection, so that the workers' shared accept queue spreads them.
    static func send(_ service: PoolProcess, _ path: String, json: Any) async throws -> PoolProcess.Reply {
        var request = HTTPClientRequest(url: service.url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Connection", value: "close")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return PoolProcess.Reply(status: Int(response.status.code), body: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test(.timeLimit(.minutes(3)))
    func feedbackIsScoredByAnyWorkerAndMerged() async throws {
        let service = try PoolProcess(["--workers", "2", "--drift-min-rows", "10"])
        defer { service.stop() }
        _ = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let model = try await service.irisModel()
        let traffic = try ScenarioTraffic("drift").draw(40, seed: 21)
        var predicted: [(id: String, label: String)] = []
        for item in traffic {
            let reply = try await Self.send(service, "/api/models/\(model)/predict", json: item.row)
            #expect(reply.status == 200, "\(reply.text)")
            predicted.append((reply.json["prediction_id"] as? String ?? "", reply.json["prediction"] as? String ?? ""))
        }
        // 30 labels agree with the prediction, 10 do not: live accuracy 0.75.
        let classes = ["setosa", "versicolor", "virginica"]
        for (i, p) in predicted.enumerated() {
            let label = i < 30 ? p.label : classes.first { $0 != p.label }!
            let reply = try await Self.send(service, "/api/models/\(model)/feedback", json: ["prediction_id": p.id, "label": label])
            #expect(reply.status == 200, "feedback \(i): \(reply.text)")
        }
        // Every worker republishes from the store within ~5 s; the merged gauge then agrees.
        let deadline = ContinuousClock.now + .seconds(60)  // generous: it ends as soon as they agree
        var accuracy = -1.0, count = -1.0, psi = -1.0
        while ContinuousClock.now < deadline {
            accuracy = try await service.metric("model_live_accuracy", matching: "model=\"\(model)\"")
            count = try await service.metric("model_feedback_total", matching: "model=\"\(model)\"")
            psi = try await service.metric("model_psi_max", matching: "model=\"\(model)\"")
            if abs(accuracy - 0.75) < 1e-12, count == 40 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(abs(accuracy - 0.75) < 1e-12, "merged model_live_accuracy \(accuracy)")
        #expect(count == 40, "model_feedback_total summed over workers: \(count)")
        #expect(psi > 0.2, "drifted rows: merged model_psi_max \(psi)")
    }
}
