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
    /// Writes a training's outcome (`record`, ready or failed) over a row that is still
    /// `training`; returns false, writing nothing, when the row is gone (the model was deleted
    /// while it trained) or no longer training. A deleted model must never come back.
    func finishTraining(_ record: ModelRecord) async throws -> Bool
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

    // MARK: Model monitoring: training runs, model versions, the served version

    /// Records a training run.
    func insertRun(_ run: RunRecord) async throws
    /// Replaces a run's row (its MLflow status changes after the training).
    func updateRun(_ run: RunRecord) async throws
    /// The newest `limit` runs, newest first; `model` keeps only that model's runs.
    func runs(model: String?, limit: Int) async throws -> [RunRecord]
    /// One run by its id.
    func runRecord(id: String) async throws -> RunRecord?
    /// Gives `modelID` the next version under `name` (1 for the first model of that name) and
    /// returns it; a model that already has a version keeps it. Safe when processes race.
    func assignModelVersion(modelID: String, name: String, at seconds: Double) async throws -> Int
    /// A model's version, if it has one.
    func modelVersion(modelID: String) async throws -> ModelVersionRecord?
    /// Every version of `name`, newest first.
    func modelVersions(name: String) async throws -> [ModelVersionRecord]
    /// Marks `modelID` as the version of `name` that is served.
    func setServedModel(name: String, modelID: String, at seconds: Double) async throws
    /// The served model of `name`, if one was marked.
    func servedModel(name: String) async throws -> String?
    /// The models that have received feedback.
    func feedbackModelIDs() async throws -> [String]

    /// Releases connections.
    func close() async throws
}
