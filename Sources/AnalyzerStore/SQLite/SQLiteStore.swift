import Foundation
import Logging
import SQLiteKit

/// The embedded default back-end: one SQLite file, opened in WAL mode (several processes may share it).
public enum SQLiteStore {
    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one) and,
    /// unless `migrate` is false, applies pending migrations.
    public static func open(path: String, migrate: Bool = true, logger: Logger = Logger(label: "csv-analyzer.store")) async throws -> SQLStore {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger).get()
        } catch {
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
            throw error
        }
        let store = SQLStore(
            db: db, backend: .sqlite, unavailableReason: unavailableReason,
            onClose: { try await connection.close().get() })
        return try await store.migrated(migrate)
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
