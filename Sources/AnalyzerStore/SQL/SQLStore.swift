import Foundation
import SQLKit

/// The one query layer: ``Store`` over any SQLKit database, SQLite or PostgreSQL.
///
/// Every call maps errors that mean "the database cannot be reached" to ``StoreUnavailableError``
/// (through the back-end's classifier); other errors pass through unchanged.
public struct SQLStore: Store {
    public let backend: StoreBackend
    let db: any SQLDatabase
    let unavailableReason: @Sendable (any Error) -> String?
    let onClose: @Sendable () async throws -> Void
    /// The back-end's own prediction-log insert, bypassing SQLKit (SQLite: binds built directly,
    /// see ``SQLiteStore``); nil uses SQLKit's multi-row INSERT.
    let predictionLogInsert: (@Sendable (ArraySlice<PredictionLogEntry>) async throws -> Void)?

    // Records carry snake_case CodingKeys; nil optionals are written as NULL.
    static let decoder = SQLRowDecoder()
    static let encoder = SQLQueryEncoder(nilEncodingStrategy: .asNil)
    /// Rows per multi-row INSERT on SQLite (5 binds each: 25,000 binds, well under the 250,000
    /// SQLiteNIO builds SQLite with). Large enough that one prediction-log batch (≤ 2,000 rows) is
    /// one statement, hence one implicit transaction and one commit (WAL append) per batch.
    static let insertBatchSize = 5_000

    /// Wraps `db`. `unavailableReason` returns why an error means the database is unreachable (nil
    /// for any other error); `onClose` releases whatever owns the connections.
    public init(
        db: any SQLDatabase, backend: StoreBackend,
        unavailableReason: @escaping @Sendable (any Error) -> String? = { _ in nil },
        onClose: @escaping @Sendable () async throws -> Void = {},
        predictionLogInsert: (@Sendable (ArraySlice<PredictionLogEntry>) async throws -> Void)? = nil
    ) {
        self.db = db
        self.backend = backend
        self.unavailableReason = unavailableReason
        self.onClose = onClose
        self.predictionLogInsert = predictionLogInsert
    }

    // MARK: Schema

    @discardableResult
    public func migrate() async throws -> [Int] {
        try await run {
            // Each step is one transaction that first takes the database's migration lock, so that
            // several processes starting at once apply each version exactly once.
            try await inTransaction { tx in
                try await tx.raw(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
                ).run()
            }
            var applied: [Int] = []
            for migration in Migrations.all {
                let didApply = try await inTransaction { tx -> Bool in
                    let done = try await tx.select().column("version").from("schema_migrations")
                        .where("version", .equal, migration.version).first() != nil
                    if done { return false }
                    for statement in migration.statements {
                        try await tx.raw(SQLQueryString(stringLiteral: statement)).run()
                    }
                    try await tx.insert(into: "schema_migrations")
                        .columns("version", "applied_at")
                        .values(SQLBind(migration.version), SQLBind(Date().timeIntervalSince1970))
                        .run()
                    return true
                }
                if didApply { applied.append(migration.version) }
            }
            return applied
        }
    }

    public func schemaVersion() async throws -> Int {
        try await run {
            let exists: Bool
            switch backend {
            case .sqlite:
                exists = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil
            case .postgresql:
                exists = try await db.raw("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first(decodingColumn: "present", as: Bool.self) ?? false
            }
            guard exists else { return 0 }
            return try await db.raw("SELECT MAX(version) AS version FROM schema_migrations")
                .first(decodingColumn: "version", as: Int?.self).flatMap { $0 } ?? 0
        }
    }

    public func ping() async throws {
        try await run { _ = try await db.raw("SELECT 1 AS one").first() }
    }

    // MARK: Datasets

    public func insertDataset(_ record: DatasetRecord) async throws {
        try await insertRow(record, into: "datasets")
    }

    public func datasets() async throws -> [DatasetRecord] {
        try await newestFirst(DatasetRecord.self, from: "datasets")
    }

    public func dataset(id: String) async throws -> DatasetRecord? {
        try await row(DatasetRecord.self, from: "datasets", id: id)
    }

    public func deleteDataset(id: String) async throws -> Bool {
        try await deleteRow(from: "datasets", column: "id", id: id)
    }

    // MARK: Models

    public func insertModel(_ record: ModelRecord) async throws {
        try await insertRow(record, into: "models")
    }

    public func updateModel(_ record: ModelRecord) async throws {
        try await run {
            try await db.update("models").set(model: record, with: Self.encoder).where("id", .equal, record.id).run()
        }
    }

    public func finishTraining(_ record: ModelRecord) async throws -> Bool {
        try await run {
            try await db.update("models").set(model: record, with: Self.encoder).where("id", .equal, record.id)
                .where("status", .equal, ModelStatus.training.rawValue).returning("id").first() != nil
        }
    }

    public func models() async throws -> [ModelRecord] {
        try await newestFirst(ModelRecord.self, from: "models")
    }

    public func model(id: String) async throws -> ModelRecord? {
        try await row(ModelRecord.self, from: "models", id: id)
    }

    public func deleteModel(id: String) async throws -> Bool {
        try await deleteRow(from: "models", column: "id", id: id)
    }

    public func heartbeat(modelID id: String, at seconds: Double) async throws {
        try await run {
            try await db.update("models").set("heartbeat_at", to: seconds)
                .where("id", .equal, id).where("status", .equal, ModelStatus.training.rawValue).run()
        }
    }

    // MARK: Prediction log and feedback

    public func insertPredictionLog(_ entries: [PredictionLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        if backend == .postgresql {
            // One statement with five array binds, whatever the batch size: far cheaper for the
            // server to parse and plan than thousands of scalar binds.
            try await run {
                try await db.raw(
                    """
                    INSERT INTO prediction_log (id, model_id, created_at, inputs_json, output_json) \
                    SELECT * FROM unnest(\(bind: entries.map(\.id))::text[], \(bind: entries.map(\.modelId))::text[], \
                    \(bind: entries.map(\.createdAt))::float8[], \(bind: entries.map(\.inputsJSON))::text[], \
                    \(bind: entries.map(\.outputJSON))::text[])
                    """
                ).run()
            }
            return
        }
        try await run {
            var start = 0
            while start < entries.count {
                let end = min(start + Self.insertBatchSize, entries.count)
                if let predictionLogInsert {
                    try await predictionLogInsert(entries[start..<end])
                    start = end
                    continue
                }
                let insert = db.insert(into: "prediction_log").columns("id", "model_id", "created_at", "inputs_json", "output_json")
                for entry in entries[start..<end] {
                    insert.values(
                        SQLBind(entry.id), SQLBind(entry.modelId), SQLBind(entry.createdAt), SQLBind(entry.inputsJSON),
                        SQLBind(entry.outputJSON))
                }
                try await insert.run()
                start = end
            }
        }
    }

    public func recentPredictions(model: String, limit: Int) async throws -> [PredictionLogEntry] {
        try await run {
            try await db.select().column("*").from("prediction_log").where("model_id", .equal, model)
                .orderBy("created_at", .descending).orderBy("id", .descending).limit(max(0, limit))
                .all(decoding: PredictionLogEntry.self, with: Self.decoder)
        }
    }

    public func prediction(id: String) async throws -> PredictionLogEntry? {
        try await row(PredictionLogEntry.self, from: "prediction_log", id: id)
    }

    public func upsertFeedback(_ record: FeedbackRecord) async throws {
        try await run {
            try await db.insert(into: "feedback").model(record, with: Self.encoder)
                .onConflict(with: ["prediction_id"]) { update in
                    update.set(excludedValueOf: "model_id").set(excludedValueOf: "label")
                        .set(excludedValueOf: "value").set(excludedValueOf: "created_at")
                        .set(excludedValueOf: "predicted_label").set(excludedValueOf: "predicted_value")
                }
                .run()
        }
    }

    public func feedback(predictionID: String) async throws -> FeedbackRecord? {
        try await row(FeedbackRecord.self, from: "feedback", column: "prediction_id", id: predictionID)
    }

    public func recentFeedback(model: String, limit: Int) async throws -> [FeedbackRecord] {
        try await run {
            try await db.select().column("*").from("feedback").where("model_id", .equal, model)
                .orderBy("created_at", .descending).orderBy("prediction_id", .descending).limit(max(0, limit))
                .all(decoding: FeedbackRecord.self, with: Self.decoder)
        }
    }

    public func close() async throws {
        try await onClose()
    }

    // MARK: Helpers

    /// Runs `body`, turning "database unreachable" errors into ``StoreUnavailableError``.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreUnavailableError {
            throw error
        } catch {
            if let reason = unavailableReason(error) {
                // SQLite fails a statement as a whole; PostgreSQL is certain only when no connection was had.
                let neverSent = backend == .sqlite || error is PostgresPoolDatabase.LeaseTimeout
                throw StoreUnavailableError(backend: backend, reason: reason, mayHaveApplied: !neverSent)
            }
            throw error
        }
    }

    /// Runs `body` in one transaction on one session, holding the migration lock (SQLite: `BEGIN
    /// IMMEDIATE` takes the write lock; PostgreSQL: a transaction-scoped advisory lock); rolls back
    /// if it throws.
    private func inTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let backend = backend
        return try await db.withSession { session in
            switch backend {
            case .sqlite: try await session.raw("BEGIN IMMEDIATE").run()
            case .postgresql: try await session.raw("BEGIN").run()
            }
            do {
                if backend == .postgresql {
                    _ = try await session.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.migrationLockKey)))").all()
                }
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The advisory lock key csv-analyzer's migrations take on PostgreSQL.
    static let migrationLockKey: Int64 = 0x6373_7661_6e61  // "csvana"
}

extension SQLStore {
    /// The version the newest migration brings the schema to.
    public static var latestSchemaVersion: Int { Migrations.all.last?.version ?? 0 }
}
