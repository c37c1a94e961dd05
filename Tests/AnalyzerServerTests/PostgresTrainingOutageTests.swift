@testable import AnalyzerServer
import AnalyzerStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A background training whose final write meets a PostgreSQL outage: the outcome is written once
/// the store is back, so the model does not stay `training` while its process lives.
@Suite struct PostgresTrainingOutageTests {
    @Test(.enabled(if: TestPostgres.url != nil, TestPostgres.skipReason), .timeLimit(.minutes(3)))
    func theOutcomeOfATrainingIsWrittenAfterTheOutage() async throws {
        let dir = "/tmp/firedrill-pg-training-\(UUID().uuidString.prefix(8))"
        let url = try TestPostgres.script("start", dir)
        defer { _ = try? TestPostgres.script("stop", dir) }

        try await TestService.run(configure: { $0.databaseURL = url }) { client, analyzer in
            let iris = try await client.upload("iris.csv")
            let model = try await client.train(iris, algorithm: "logistic_regression")
            // The row as a background training leaves it while it runs.
            var record = try await analyzer.model(model)
            record.status = .training
            try await analyzer.store.updateModel(record)

            try TestPostgres.script("pause", dir)
            record.status = .failed
            record.error = "store_unavailable: the final write met an outage"
            let outcome = record
            let writer = Task { await analyzer.persistTrainingOutcome(outcome) }
            // The outage is seen (and so is the writer's first attempt failing) before the resume.
            #expect(try await client.call(.get, "/api/models").status == .serviceUnavailable)
            try await Task.sleep(for: .milliseconds(1500))
            try TestPostgres.script("resume", dir)

            #expect(await writer.value, "the row was there to finish")
            let after = try await analyzer.model(model)
            #expect(after.status == .failed, "\(after.status)")
            #expect(after.error?.hasPrefix("store_unavailable") == true)
        }
    }
}
