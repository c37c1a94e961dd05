import Foundation
import Testing

/// Feedback under `serve --workers 2` on SQLite, many requests at once: none answers 503
/// `store_unavailable` ("database is locked"; before the fix 11 of 1200 did, against the 5 s busy
/// timeout). Each process's connection now runs its statements
/// one after the other, so a write never starts inside a read of the same connection that another
/// process's commit has made stale (SQLITE_BUSY_SNAPSHOT, which skips the busy timeout).
@Suite(.serialized) struct SQLiteFeedbackPoolTests {
    @Test(.timeLimit(.minutes(5)))
    func concurrentFeedbackWithTwoWorkersIsNeverLocked() async throws {
        let service = try PoolProcess(["--workers", "2"])
        defer { service.stop() }
        _ = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let model = try await service.irisModel()
        let clients = 8, rounds = 150
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var failures: [String] = []
                    for round in 0..<rounds {
                        let predicted = try await service.request(.POST, "/api/models/\(model)/predict", json: [PredictionLoad.row, PredictionLoad.row])
                        guard predicted.status == 200 else { failures.append("predict \(predicted.status): \(predicted.text)"); continue }
                        let items = (predicted.json["predictions"] as? [[String: Any]] ?? []).map { p -> [String: Any] in
                            ["prediction_id": p["prediction_id"] as? String ?? "", "label": round % 2 == 0 ? "virginica" : "setosa"]
                        }
                        let feedback = try await service.request(.POST, "/api/models/\(model)/feedback", json: items)
                        // 404 `prediction_not_found` is another matter (the other worker's log write not yet
                        // visible after 2 s on a loaded machine); the defect is the 503.
                        if feedback.status == 503 || feedback.status == 500 {
                            failures.append("client \(client) round \(round): feedback \(feedback.status): \(feedback.text)")
                        }
                    }
                    return failures
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(clients * rounds) failed, first: \(failures.prefix(3))")
    }
}
