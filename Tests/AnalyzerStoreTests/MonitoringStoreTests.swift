import AnalyzerStore
import Foundation
import Testing

/// The model-monitoring tables (migration 4) on every back-end: runs, model versions (also when
/// processes race for the next number), the served version, feedback with the predicted output.
@Suite struct MonitoringStoreTests {
    static func run(_ id: String, model: String, version: Int?, at startedAt: Double) -> RunRecord {
        RunRecord(
            id: id, modelId: model, modelName: "iris — 'm'", modelVersion: version, datasetId: "ds_1", datasetName: "iris",
            datasetSHA256: String(repeating: "cd", count: 32), datasetRows: 150, datasetColumns: 5, status: .finished,
            paramsJSON: #"{"C":"1.0","algorithm":"logistic_regression"}"#, metricsJSON: #"{"accuracy":0.9666666666666667}"#,
            durationSeconds: 0.25, artifactPath: "models/\(model).model", artifactBytes: 1_263, startedAt: startedAt,
            finishedAt: startedAt + 0.25, mlflowStatus: .pending)
    }

    @Test(arguments: TestDatabase.available)
    func runsAreStoredUpdatedAndListedNewestFirst(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            try await store.insertRun(Self.run("run_a", model: "m_1", version: 1, at: 100))
            try await store.insertRun(Self.run("run_b", model: "m_2", version: 2, at: 200))
            var failed = Self.run("run_c", model: "m_1", version: nil, at: 300)
            failed.status = .failed
            failed.error = "single_class: only one class"
            failed.artifactPath = nil
            failed.artifactBytes = nil
            try await store.insertRun(failed)
            #expect(try await store.runs(model: nil, limit: 10).map(\.id) == ["run_c", "run_b", "run_a"])
            #expect(try await store.runs(model: "m_1", limit: 10).map(\.id) == ["run_c", "run_a"])
            #expect(try await store.runs(model: nil, limit: 1).map(\.id) == ["run_c"])
            #expect(try await store.runRecord(id: "run_c") == failed)
            var logged = try #require(try await store.runRecord(id: "run_a"))
            #expect(logged == Self.run("run_a", model: "m_1", version: 1, at: 100), "every field round-trips")
            logged.mlflowStatus = .logged
            logged.mlflowRunId = "0123abcd"
            logged.mlflowExperimentId = "7"
            try await store.updateRun(logged)
            #expect(try await store.runRecord(id: "run_a") == logged)
            #expect(try await store.runRecord(id: "nope") == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func versionsCountUpPerNameAndStayPut(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            #expect(try await store.assignModelVersion(modelID: "m_1", name: "iris", at: 1) == 1)
            #expect(try await store.assignModelVersion(modelID: "m_2", name: "iris", at: 2) == 2)
            #expect(try await store.assignModelVersion(modelID: "m_x", name: "other", at: 3) == 1)
            #expect(try await store.assignModelVersion(modelID: "m_1", name: "iris", at: 4) == 1, "a model keeps its version")
            #expect(try await store.modelVersions(name: "iris").map(\.version) == [2, 1])
            #expect(try await store.modelVersion(modelID: "m_2") == ModelVersionRecord(modelId: "m_2", name: "iris", version: 2, createdAt: 2))
            #expect(try await store.servedModel(name: "iris") == nil)
            try await store.setServedModel(name: "iris", modelID: "m_1", at: 5)
            #expect(try await store.servedModel(name: "iris") == "m_1")
            try await store.setServedModel(name: "iris", modelID: "m_2", at: 6)
            #expect(try await store.servedModel(name: "iris") == "m_2")
            #expect(try await store.assignModelVersion(modelID: "m_3", name: "iris", at: 7) == 3)
        }
    }

    /// Two connections (as two processes would) ask for versions of one name at the same time:
    /// every model gets a distinct number, 1…n.
    @Test(arguments: TestDatabase.available)
    func racingProcessesGetDistinctVersions(_ database: TestDatabase) async throws {
        try await database.withStore { first, location in
            let second = try await location.open()
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<12 {
                    let store: any Store = i % 2 == 0 ? first : second
                    group.addTask { try await store.assignModelVersion(modelID: "m_\(i)", name: "race", at: Double(i)) }
                }
                var all: [Int] = []
                for try await v in group { all.append(v) }
                return all
            }
            #expect(versions.sorted() == Array(1...12))
            try await second.close()
        }
    }

    @Test(arguments: TestDatabase.available)
    func feedbackKeepsThePredictedOutput(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let classified = FeedbackRecord(predictionId: "p1", modelId: "m_a", label: "setosa", createdAt: 10, predictedLabel: "versicolor")
            let regressed = FeedbackRecord(predictionId: "p2", modelId: "m_b", value: 151.5, createdAt: 11, predictedValue: 140.25)
            try await store.upsertFeedback(classified)
            try await store.upsertFeedback(regressed)
            #expect(try await store.feedback(predictionID: "p1") == classified)
            #expect(try await store.recentFeedback(model: "m_b", limit: 5) == [regressed])
            #expect(try await store.feedbackModelIDs() == ["m_a", "m_b"])
        }
    }
}
