import AnalyzerStore
import Foundation
import Testing

/// One contract, every back-end: the same tests run against SQLite and a real PostgreSQL.
@Suite struct StoreContractTests {
    static func dataset(_ id: String, at createdAt: Double = 1_700_000_000, schema: String = "{\"columns\":[]}") -> DatasetRecord {
        DatasetRecord(
            id: id, name: "iris — ünïcødé 'quoted'", sizeBytes: 3_877, rowCount: 150, columnCount: 5,
            sha256: String(repeating: "ab", count: 32), schemaJSON: schema, createdAt: createdAt)
    }

    static func model(_ id: String, dataset: String = "ds_1", status: ModelStatus = .training, at createdAt: Double = 1_700_000_000) -> ModelRecord {
        ModelRecord(
            id: id, name: "m", datasetId: dataset, target: "target", task: "classification", algorithm: "random_forest",
            configJSON: "{\"seed\":42}", status: status, createdAt: createdAt, owner: "host:1", heartbeatAt: createdAt)
    }

    @Test(arguments: TestDatabase.available)
    func migrationsAreVersionedAndIdempotent(_ database: TestDatabase) async throws {
        try await database.withStore { store, location in
            #expect(store.backend == location.backend)
            #expect(try await store.schemaVersion() == SQLStore.latestSchemaVersion)
            #expect(try await store.migrate() == [])
            try await store.ping()
        }
    }

    /// Four `csv-analyzer migrate` processes start at once on an empty database: each version is
    /// applied exactly once and every process succeeds.
    @Test(arguments: TestDatabase.available)
    func concurrentMigrationsApplyEachVersionOnce(_ database: TestDatabase) async throws {
        let (location, url, cleanup) = try database.makeLocation()
        defer { cleanup() }
        let binary = try TestDatabase.csvAnalyzerBinary()
        let processes = try (0..<4).map { _ in
            let process = Process()
            process.executableURL = binary
            process.arguments = ["migrate", "--database-url", url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while processes.contains(where: \.isRunning) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        #expect(processes.allSatisfy { !$0.isRunning && $0.terminationStatus == 0 }, "\(processes.map(\.terminationStatus))")
        let store = try await location.open(migrate: false)
        #expect(try await store.schemaVersion() == SQLStore.latestSchemaVersion)
        #expect(try await store.migrate() == [])
        try await store.close()
    }

    @Test(arguments: TestDatabase.available)
    func datasetsRoundTrip(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            let bigSchema = "{\"x\":\"" + String(repeating: "é", count: 500_000) + "\"}"
            try await store.insertDataset(Self.dataset("ds_old", at: 1_700_000_000))
            try await store.insertDataset(Self.dataset("ds_new", at: 1_700_000_100.5, schema: bigSchema))
            #expect(try await store.datasets().map(\.id) == ["ds_new", "ds_old"])
            let new = try #require(try await store.dataset(id: "ds_new"))
            #expect(new == Self.dataset("ds_new", at: 1_700_000_100.5, schema: bigSchema))
            #expect(try await store.dataset(id: "ds_missing") == nil)
            #expect(try await store.deleteDataset(id: "ds_old"))
            #expect(try await !store.deleteDataset(id: "ds_old"))
            #expect(try await store.datasets().map(\.id) == ["ds_new"])
            await #expect(throws: (any Error).self) { try await store.insertDataset(Self.dataset("ds_new")) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func modelLifecycle(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            var record = Self.model("m_1")
            try await store.insertModel(record)
            #expect(try await store.model(id: "m_1") == record)

            try await store.heartbeat(modelID: "m_1", at: 1_700_000_060)
            #expect(try await store.model(id: "m_1")?.heartbeatAt == 1_700_000_060)

            record.status = .ready
            record.evaluationJSON = "{\"accuracy\":0.97}"
            record.featuresJSON = "[]"
            record.trainRows = 120
            record.testRows = 30
            record.trainingSeconds = 1.25
            record.trainedAt = 1_700_000_100
            record.heartbeatAt = 1_700_000_060
            try await store.updateModel(record)
            #expect(try await store.model(id: "m_1") == record)
            // A ready model's heartbeat no longer changes.
            try await store.heartbeat(modelID: "m_1", at: 1_800_000_000)
            #expect(try await store.model(id: "m_1")?.heartbeatAt == 1_700_000_060)

            var failed = Self.model("m_2", at: 1_700_000_200)
            failed.status = .failed
            failed.error = "single_class: only one class"
            failed.owner = nil
            failed.heartbeatAt = nil
            try await store.insertModel(failed)
            #expect(try await store.models().map(\.id) == ["m_2", "m_1"])
            #expect(try await store.model(id: "m_2") == failed)
            #expect(try await store.deleteModel(id: "m_1"))
            #expect(try await !store.deleteModel(id: "m_1"))
            #expect(try await store.model(id: "m_1") == nil)
        }
    }

    /// Issue 18: a model deleted while it trained came back when its training finished.
    @Test(arguments: TestDatabase.available)
    func finishingATrainingNeverResurrectsADeletedModel(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            var record = Self.model("m_1")
            try await store.insertModel(record)
            record.status = .ready
            record.trainedAt = 1_700_000_100
            #expect(try await store.finishTraining(record))
            #expect(try await store.model(id: "m_1") == record)
            // Already finished: a second outcome is not written.
            var again = record
            again.status = .failed
            #expect(try await !store.finishTraining(again))
            #expect(try await store.model(id: "m_1")?.status == .ready)

            try await store.insertModel(Self.model("m_2"))
            #expect(try await store.deleteModel(id: "m_2"))
            var late = Self.model("m_2")
            late.status = .ready
            #expect(try await !store.finishTraining(late))
            #expect(try await store.model(id: "m_2") == nil)
            #expect(try await store.models().map(\.id) == ["m_1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func predictionLogBatchesAndBoundedReads(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            // 10,200 entries: more than one multi-row insert (5,000 rows each on SQLite).
            let entries = (0..<10_200).map { i in
                PredictionLogEntry(
                    id: String(format: "p%05d", i), modelId: i.isMultiple(of: 3) ? "m_b" : "m_a",
                    createdAt: 1_700_000_000 + Double(i) / 10, inputsJSON: "{\"x\":\(i),\"s\":\"ü\"}",
                    outputJSON: "{\"label\":\"setosa\",\"probabilities\":{\"setosa\":0.9}}")
            }
            try await store.insertPredictionLog(entries)
            try await store.insertPredictionLog([])
            let recent = try await store.recentPredictions(model: "m_a", limit: 5)
            let expected = entries.filter { $0.modelId == "m_a" }.suffix(5).reversed()
            #expect(recent == Array(expected))
            #expect(try await store.recentPredictions(model: "m_b", limit: 10_000).count == 3_400)
            #expect(try await store.recentPredictions(model: "m_none", limit: 10).isEmpty)
            #expect(try await store.prediction(id: "p00007") == entries[7])
            #expect(try await store.prediction(id: "nope") == nil)
            await #expect(throws: (any Error).self) { try await store.insertPredictionLog([entries[0]]) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func feedbackUpsertsAndReads(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            try await store.upsertFeedback(FeedbackRecord(predictionId: "p1", modelId: "m_a", label: "setosa", createdAt: 10))
            try await store.upsertFeedback(FeedbackRecord(predictionId: "p2", modelId: "m_a", value: 151.5, createdAt: 11))
            try await store.upsertFeedback(FeedbackRecord(predictionId: "p3", modelId: "m_b", label: "virginica", createdAt: 12))
            #expect(try await store.feedback(predictionID: "p1")?.label == "setosa")
            // A second label for the same prediction replaces the first.
            try await store.upsertFeedback(FeedbackRecord(predictionId: "p1", modelId: "m_a", label: "versicolor", createdAt: 13))
            #expect(try await store.feedback(predictionID: "p1") == FeedbackRecord(predictionId: "p1", modelId: "m_a", label: "versicolor", createdAt: 13))
            #expect(try await store.feedback(predictionID: "p2")?.value == 151.5)
            #expect(try await store.feedback(predictionID: "missing") == nil)
            #expect(try await store.recentFeedback(model: "m_a", limit: 10).map(\.predictionId) == ["p1", "p2"])
            #expect(try await store.recentFeedback(model: "m_a", limit: 1).map(\.predictionId) == ["p1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoProcessesOnOneDatabaseSeeTheSameData(_ database: TestDatabase) async throws {
        try await database.withStore { first, location in
            let second = try await location.open()
            try await first.insertDataset(Self.dataset("ds_shared"))
            try await second.insertModel(Self.model("m_shared", dataset: "ds_shared"))
            #expect(try await second.dataset(id: "ds_shared") != nil)
            #expect(try await first.model(id: "m_shared") != nil)
            try await second.insertPredictionLog([PredictionLogEntry(id: "p", modelId: "m_shared", createdAt: 1, inputsJSON: "{}", outputJSON: "{}")])
            #expect(try await first.recentPredictions(model: "m_shared", limit: 1).count == 1)
            try await second.close()
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWritesAllLand(_ database: TestDatabase) async throws {
        try await database.withStore { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<50 {
                    group.addTask { try await store.insertDataset(Self.dataset("ds_\(i)", at: Double(i))) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.datasets().count == 50)
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.skipReason))
    func postgresTestServerIsReachable() async throws {
        try await TestDatabase.postgresql.withStore { store, _ in
            #expect(store.backend == .postgresql)
            try await store.ping()
        }
    }
}
