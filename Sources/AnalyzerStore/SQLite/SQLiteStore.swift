import Foundation
import Logging
import NIOPosix
import SQLiteKit

/// The embedded default back-end: one SQLite file, opened in WAL mode (several processes may share it).
public enum SQLiteStore {
    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one) and,
    /// unless `migrate` is false, applies pending migrations.
    public static func open(path: String, migrate: Bool = true, logger: Logger = Logger(label: "csv-analyzer.store")) async throws -> SQLStore {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        // One thread for the connection's libsqlite3 calls, so its statements run one after the
        // other. On the shared pool (two threads here) a write could start while a read of the same
        // connection was still stepping: autocommit then runs the write inside that read's
        // transaction, and when another process had committed since the read began, SQLite answers
        // SQLITE_BUSY_SNAPSHOT ("database is locked") at once, without the busy timeout (~0.1 % of
        // feedback requests with 2 workers, each a read of the prediction log, then an upsert).
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: storage, threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            ).get()
        } catch {
            try? await threadPool.shutdownGracefully()
            throw StoreUnavailableError(backend: .sqlite, reason: "cannot open '\(path)': \(error)")
        }
        let db = connection.sql()
        do {
            // busy_timeout first: switching to WAL takes a lock that other processes may hold.
            try await db.raw("PRAGMA busy_timeout=5000").run()
            _ = try await db.raw("PRAGMA journal_mode=WAL").all()
            try await db.raw("PRAGMA synchronous=NORMAL").run()
        } catch {
            try? await connection.close().get()
            try? await threadPool.shutdownGracefully()
            throw error
        }
        let store = SQLStore(
            db: db, backend: .sqlite, unavailableReason: unavailableReason,
            onClose: {
                try await connection.close().get()
                try await threadPool.shutdownGracefully()
            },
            predictionLogInsert: { entries in try await insertPredictionLog(entries, on: connection) })
        return try await store.migrated(migrate)
    }

    /// One multi-row INSERT of prediction-log entries with SQLiteNIO's binds built here: the same
    /// statement and values SQLKit would send (text, text, float, text, text), without its per-bind
    /// dynamic casts and query serialization — the prediction log's share of the serving process's CPU.
    static func insertPredictionLog(_ entries: ArraySlice<PredictionLogEntry>, on connection: SQLiteConnection) async throws {
        guard !entries.isEmpty else { return }
        var sql = "INSERT INTO \"prediction_log\" (\"id\", \"model_id\", \"created_at\", \"inputs_json\", \"output_json\") VALUES "
        sql.reserveCapacity(sql.utf8.count + entries.count * 12)
        var binds: [SQLiteData] = []
        binds.reserveCapacity(entries.count * 5)
        for entry in entries {
            sql += binds.isEmpty ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)"
            binds.append(.text(entry.id))
            binds.append(.text(entry.modelId))
            binds.append(.float(entry.createdAt))
            binds.append(.text(entry.inputsJSON))
            binds.append(.text(entry.outputJSON))
        }
        try await connection.query(sql, binds) { _ in }
    }

    /// SQLite errors that a retry may cure: locked or busy past the 5 s busy timeout, I/O errors, a full disk.
    @Sendable static func unavailableReason(_ error: any Error) -> String? {
        guard let error = error as? SQLiteError else { return nil }
        switch error.reason {
        case .busy, .locked, .ioError, .full, .cantOpen, .busyTimeout, .busyInRecovery, .busyInSnapshot:
            return "\(error.message)"
        default:
            return nil
        }
    }
}
