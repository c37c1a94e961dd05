import AnalyzerStore
import Foundation

extension Analyzer {
    /// How often a background training says it is still alive.
    static let heartbeatInterval: Duration = .seconds(30)
    /// A training whose owner cannot be checked (another host) counts as abandoned after this long
    /// without a heartbeat.
    static let heartbeatTimeout: TimeInterval = 300

    /// Whether a `training` row was left by a process that is gone: its owner is a dead process on
    /// this host, or it has not sent a heartbeat for ``heartbeatTimeout`` (or it has no owner: rows
    /// written before ownership existed). A live sibling's training is never abandoned.
    static func isAbandoned(_ record: ModelRecord, now: Double = Date().timeIntervalSince1970) -> Bool {
        guard let owner = record.owner else { return true }
        if let dead = ProcessIdentity.isDead(owner: owner) { return dead }
        return now - (record.heartbeatAt ?? record.createdAt) > heartbeatTimeout
    }

    /// Refreshes the model's heartbeat until the task is cancelled; store errors are ignored (the
    /// next beat retries).
    func heartbeat(_ modelID: String) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: Self.heartbeatInterval)
            } catch {
                return
            }
            try? await store.heartbeat(modelID: modelID, at: Date().timeIntervalSince1970)
        }
    }
}
