import Foundation
import SQLKit

/// The one query layer: ``Store`` over any SQLKit database (SQLite today, PostgreSQL next).
public struct SQLStore: Store {
    let db: any SQLDatabase
    let onClose: @Sendable () async throws -> Void

    // Records carry snake_case CodingKeys; nil optionals are written as NULL.
    private static let decoder = SQLRowDecoder()
    private static let encoder = SQLQueryEncoder(nilEncodingStrategy: .asNil)

    /// Wraps `db`; `onClose` releases whatever owns the connection.
    public init(db: any SQLDatabase, onClose: @escaping @Sendable () async throws -> Void = {}) {
        self.db = db
        self.onClose = onClose
    }

    public func migrate() async throws {
        try await db.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)"
        ).run()
        let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all(decodingColumn: "version", as: Int.self))
        for migration in Migrations.all where !applied.contains(migration.version) {
            try await inTransaction { tx in
                for statement in migration.statements {
                    try await tx.raw(SQLQueryString(stringLiteral: statement)).run()
                }
                try await tx.insert(into: "schema_migrations")
                    .columns("version", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(Date().timeIntervalSince1970))
                    .run()
            }
        }
    }

    public func ping() async throws {
        _ = try await db.raw("SELECT 1 AS one").first()
    }

    public func insertDataset(_ record: DatasetRecord) async throws {
        try await db.insert(into: "datasets").model(record, with: Self.encoder).run()
    }

    public func datasets() async throws -> [DatasetRecord] {
        try await db.select().column("*").from("datasets").orderBy("created_at", .descending)
            .all(decoding: DatasetRecord.self, with: Self.decoder)
    }

    public func dataset(id: String) async throws -> DatasetRecord? {
        try await db.select().column("*").from("datasets").where("id", .equal, id)
            .first(decoding: DatasetRecord.self, with: Self.decoder)
    }

    public func deleteDataset(id: String) async throws -> Bool {
        try await deleteRow(from: "datasets", id: id)
    }

    public func insertModel(_ record: ModelRecord) async throws {
        try await db.insert(into: "models").model(record, with: Self.encoder).run()
    }

    public func updateModel(_ record: ModelRecord) async throws {
        try await db.update("models").set(model: record, with: Self.encoder).where("id", .equal, record.id).run()
    }

    public func models() async throws -> [ModelRecord] {
        try await db.select().column("*").from("models").orderBy("created_at", .descending)
            .all(decoding: ModelRecord.self, with: Self.decoder)
    }

    public func model(id: String) async throws -> ModelRecord? {
        try await db.select().column("*").from("models").where("id", .equal, id)
            .first(decoding: ModelRecord.self, with: Self.decoder)
    }

    public func deleteModel(id: String) async throws -> Bool {
        try await deleteRow(from: "models", id: id)
    }

    public func close() async throws {
        try await onClose()
    }

    /// Runs `body` in one transaction on one session; rolls back if it throws.
    private func inTransaction(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await db.withSession { session in
            try await session.raw("BEGIN").run()
            do {
                try await body(session)
                try await session.raw("COMMIT").run()
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    private func deleteRow(from table: String, id: String) async throws -> Bool {
        let found = try await db.select().column("id").from(table).where("id", .equal, id).first() != nil
        guard found else { return false }
        try await db.delete(from: table).where("id", .equal, id).run()
        return true
    }
}
