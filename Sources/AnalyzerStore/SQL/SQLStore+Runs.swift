import Foundation
import SQLKit

/// Model monitoring tables: `runs`, `model_versions`, `served_models` (migration 4).
extension SQLStore {
    public func insertRun(_ record: RunRecord) async throws {
        try await insertRow(record, into: "runs")
    }

    public func updateRun(_ record: RunRecord) async throws {
        try await run {
            try await db.update("runs").set(model: record, with: Self.encoder).where("id", .equal, record.id).run()
        }
    }

    public func runs(model: String?, limit: Int) async throws -> [RunRecord] {
        try await run {
            let query = db.select().column("*").from("runs")
            if let model { query.where("model_id", .equal, model) }
            return try await query.orderBy("started_at", .descending).orderBy("id", .descending).limit(max(0, limit))
                .all(decoding: RunRecord.self, with: Self.decoder)
        }
    }

    public func runRecord(id: String) async throws -> RunRecord? {
        try await row(RunRecord.self, from: "runs", id: id)
    }

    public func assignModelVersion(modelID: String, name: String, at seconds: Double) async throws -> Int {
        // One INSERT … SELECT MAX + 1; two processes racing for the same number collide on the unique
        // (name, version) index, and the loser tries again with the next number.
        var attempt = 0
        while true {
            if let existing = try await modelVersion(modelID: modelID) { return existing.version }
            do {
                try await run {
                    try await db.raw("""
                        INSERT INTO model_versions (model_id, name, version, created_at) \
                        SELECT \(bind: modelID), \(bind: name), COALESCE(MAX(version), 0) + 1, \(bind: seconds) \
                        FROM model_versions WHERE name = \(bind: name)
                        """).run()
                }
            } catch let error as StoreUnavailableError {
                throw error
            } catch {
                attempt += 1
                if attempt >= 8 { throw error }
                try await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    public func modelVersion(modelID: String) async throws -> ModelVersionRecord? {
        try await row(ModelVersionRecord.self, from: "model_versions", column: "model_id", id: modelID)
    }

    public func modelVersions(name: String) async throws -> [ModelVersionRecord] {
        try await run {
            try await db.select().column("*").from("model_versions").where("name", .equal, name)
                .orderBy("version", .descending)
                .all(decoding: ModelVersionRecord.self, with: Self.decoder)
        }
    }

    public func setServedModel(name: String, modelID: String, at seconds: Double) async throws {
        try await run {
            try await db.insert(into: "served_models").columns("name", "model_id", "updated_at")
                .values(SQLBind(name), SQLBind(modelID), SQLBind(seconds))
                .onConflict(with: ["name"]) { update in
                    update.set(excludedValueOf: "model_id").set(excludedValueOf: "updated_at")
                }
                .run()
        }
    }

    public func servedModel(name: String) async throws -> String? {
        try await run {
            try await db.select().column("model_id").from("served_models").where("name", .equal, name)
                .first(decodingColumn: "model_id", as: String.self)
        }
    }

    public func feedbackModelIDs() async throws -> [String] {
        try await run {
            try await db.select().distinct().column("model_id").from("feedback").orderBy("model_id")
                .all(decodingColumn: "model_id", as: String.self)
        }
    }
}
