import Foundation
import Logging
import SQLiteKit

/// The embedded default back-end: one SQLite file, opened in WAL mode.
public enum SQLiteStore {
    /// Opens (creating if needed) the database at `path` and migrates it.
    public static func open(path: String, logger: Logger = Logger(label: "csv-analyzer.store")) async throws -> SQLStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger).get()
        let db = connection.sql()
        _ = try await db.raw("PRAGMA journal_mode=WAL").all()
        try await db.raw("PRAGMA synchronous=NORMAL").run()
        try await db.raw("PRAGMA busy_timeout=5000").run()
        let store = SQLStore(db: db, onClose: { try await connection.close().get() })
        try await store.migrate()
        return store
    }
}
