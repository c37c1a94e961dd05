import Foundation

/// A stored dataset's metadata. The CSV bytes live in the file store (`DataDirectory`).
public struct DatasetRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// Size of the stored CSV file in bytes.
    public var sizeBytes: Int64
    public var rowCount: Int
    public var columnCount: Int
    /// SHA-256 of the CSV bytes, hex.
    public var sha256: String
    /// The inferred schema and column summaries, as JSON (AnalyzerCore's `DatasetSchema`).
    public var schemaJSON: String
    /// Seconds since 1970.
    public var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, name, sha256
        case sizeBytes = "size_bytes", rowCount = "row_count", columnCount = "column_count"
        case schemaJSON = "schema_json", createdAt = "created_at"
    }

    public init(
        id: String, name: String, sizeBytes: Int64, rowCount: Int, columnCount: Int, sha256: String,
        schemaJSON: String, createdAt: Double
    ) {
        self.id = id
        self.name = name
        self.sizeBytes = sizeBytes
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.sha256 = sha256
        self.schemaJSON = schemaJSON
        self.createdAt = createdAt
    }
}
