import SQLKit

/// Whole-record queries shared by the tables keyed by an `id` (records carry snake_case CodingKeys).
extension SQLStore {
    /// Inserts `record` as one row of `table`.
    func insertRow(_ record: some Encodable & Sendable, into table: String) async throws {
        try await run { try await db.insert(into: table).model(record, with: Self.encoder).run() }
    }

    /// Every row of `table`, newest `created_at` first.
    func newestFirst<Record: Decodable>(_: Record.Type, from table: String) async throws -> [Record] {
        try await run {
            try await db.select().column("*").from(table).orderBy("created_at", .descending)
                .all(decoding: Record.self, with: Self.decoder)
        }
    }

    /// The row of `table` whose `column` equals `id`, if any.
    func row<Record: Decodable>(_: Record.Type, from table: String, column: String = "id", id: String) async throws -> Record? {
        try await run {
            try await db.select().column("*").from(table).where(column, .equal, id)
                .first(decoding: Record.self, with: Self.decoder)
        }
    }

    /// Deletes the row of `table` whose `column` equals `id`; whether there was one.
    func deleteRow(from table: String, column: String, id: String) async throws -> Bool {
        try await run {
            try await db.delete(from: table).where(column, .equal, id).returning(column).first() != nil
        }
    }

    /// The store once pending migrations are applied (when `migrate`); closed if they fail.
    func migrated(_ migrate: Bool) async throws -> SQLStore {
        guard migrate else { return self }
        do {
            try await self.migrate()
        } catch {
            try? await close()
            throw error
        }
        return self
    }
}
