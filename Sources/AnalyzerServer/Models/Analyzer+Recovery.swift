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

    /// How often a running service looks for trainings a dead sibling abandoned.
    static let abandonedTrainingSweepInterval: Duration = .seconds(30)

    /// Marks as `failed` the trainings whose process is gone (a worker OOM-killed, crashed, or
    /// killed after its graceful timeout while recycling), so their models do not stay `training`
    /// until the next restart. A live process's training is never touched (`isAbandoned`); the
    /// background service calls this every ``abandonedTrainingSweepInterval``.
    /// - Returns: the models marked failed.
    @discardableResult
    public func failAbandonedTrainings(now: Double = Date().timeIntervalSince1970) async throws -> [String] {
        var failed: [String] = []
        for var record in try await store.models() where record.status == .training && Self.isAbandoned(record, now: now) {
            record.status = .failed
            record.error = "interrupted: the process training it (\(record.owner ?? "unknown")) stopped before it finished; train it again"
            try await store.updateModel(record)
            try? FileManager.default.removeItem(at: files.modelFile(record.id))
            logger.warning("training abandoned by a stopped process: marked failed", metadata: ["model": "\(record.id)", "owner": "\(record.owner ?? "")"])
            failed.append(record.id)
        }
        return failed
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

    /// Writes a background training's final row (its `failed` status), retrying while the store is
    /// unavailable: written once with `try?`, a write lost to an outage left the model `training`
    /// for as long as this process lived (the abandoned-training sweep only fails trainings of
    /// processes that are gone). Retries with a doubling delay (0.25 s … 5 s) until the store
    /// answers or the task is cancelled (shutdown: recovery at the next start fails it then).
    /// - Returns: false when the model was deleted meanwhile (there was no `training` row to
    ///   finish, ``Store/finishTraining(_:)``); true otherwise.
    @discardableResult
    func persistTrainingOutcome(_ record: ModelRecord) async -> Bool {
        var delay = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                return try await store.finishTraining(record)
            } catch let error as StoreUnavailableError {
                logger.notice(
                    "could not write the training's outcome; retrying", metadata: ["model": "\(record.id)", "error": "\(error)"])
            } catch {
                logger.error("could not write the training's outcome", metadata: ["model": "\(record.id)", "error": "\(error)"])
                return true
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        return true
    }
}
