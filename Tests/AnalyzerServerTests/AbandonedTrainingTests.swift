import AnalyzerServer
import AnalyzerStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A training whose process died (a worker OOM-killed, crashed or recycled mid-training) is marked
/// failed by the running service, not left `training` until the next restart.
@Suite struct AbandonedTrainingTests {
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func aDeadProcessTrainingIsMarkedFailedAndALiveOneIsLeftAlone() async throws {
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await TestService.run(dataDirectory: dir) { client, analyzer in
            let dataset = try await client.upload("iris.csv")
            // A second handle on the same database, as a sibling worker would have.
            let store = try await SQLiteStore.open(path: dir.appendingPathComponent("csv-analyzer.sqlite").path)
            let now = Date().timeIntervalSince1970
            func training(_ id: String, owner: String?) -> ModelRecord {
                ModelRecord(id: id, name: id, datasetId: dataset, target: "target", task: "classification",
                            algorithm: "random_forest", configJSON: "{}", status: .training, createdAt: now, owner: owner,
                            heartbeatAt: now)
            }
            // pid_max on Linux is at most 4,194,304: this pid cannot exist.
            try await store.insertModel(training("m_dead", owner: "\(Self.hostName()):4194999"))
            try await store.insertModel(training("m_alive", owner: "\(Self.hostName()):\(getpid())"))
            try await store.close()

            #expect(try await analyzer.failAbandonedTrainings() == ["m_dead"])
            let dead = try await client.call(.get, "/api/models/m_dead")
            #expect(dead.json["status"] as? String == "failed")
            #expect((dead.json["error"] as? String)?.contains("stopped before it finished") == true, "\(dead.text)")
            let alive = try await client.call(.get, "/api/models/m_alive")
            #expect(alive.json["status"] as? String == "training")
            #expect(try await analyzer.failAbandonedTrainings().isEmpty, "a second sweep finds nothing new")
        }
    }
}
