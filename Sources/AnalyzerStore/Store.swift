/// Persistence of datasets, models, the prediction log and feedback behind one interface,
/// whatever the back-end (SQLite or PostgreSQL).
///
/// Implementations must make each call atomic: a record is either fully written or absent. When the
/// database cannot be reached, calls throw ``StoreUnavailableError``.
public protocol Store: Sendable {
    /// Which database this store talks to.
    var backend: StoreBackend { get }

    /// Applies pending schema migrations and returns the versions it applied (empty when the schema
    /// was current). Safe to call on every start-up and from several processes at once.
    @discardableResult
    func migrate() async throws -> [Int]
    /// The highest applied migration version (0 for an empty database).
    func schemaVersion() async throws -> Int
    /// Cheap round trip used by `/readyz`.
    func ping() async throws

    func insertDataset(_ record: DatasetRecord) async throws
    func datasets() async throws -> [DatasetRecord]
    func dataset(id: String) async throws -> DatasetRecord?
    /// Returns whether a row was deleted.
    func deleteDataset(id: String) async throws -> Bool

    func insertModel(_ record: ModelRecord) async throws
    func updateModel(_ record: ModelRecord) async throws
    func models() async throws -> [ModelRecord]
    func model(id: String) async throws -> ModelRecord?
    /// Returns whether a row was deleted.
    func deleteModel(id: String) async throws -> Bool
    /// Records that the process training `id` is still alive (sets `heartbeat_at` while the model is
    /// `training`), so that other processes do not treat the training as abandoned.
    func heartbeat(modelID id: String, at seconds: Double) async throws

    /// Appends prediction log entries (one multi-row insert per few hundred entries).
    func insertPredictionLog(_ entries: [PredictionLogEntry]) async throws
    /// The newest `limit` log entries of a model, newest first.
    func recentPredictions(model: String, limit: Int) async throws -> [PredictionLogEntry]
    /// One logged prediction by its id.
    func prediction(id: String) async throws -> PredictionLogEntry?

    /// Stores the true label or value of a prediction; a later call for the same prediction replaces it.
    func upsertFeedback(_ record: FeedbackRecord) async throws
    /// The feedback given for one prediction.
    func feedback(predictionID: String) async throws -> FeedbackRecord?
    /// The newest `limit` feedback records of a model, newest first.
    func recentFeedback(model: String, limit: Int) async throws -> [FeedbackRecord]

    /// Releases connections.
    func close() async throws
}
