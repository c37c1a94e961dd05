import AnalyzerCore
import AnalyzerStore
import Foundation

/// API view of a dataset.
struct DatasetDTO: Encodable {
    let id: String
    let name: String
    let sizeBytes: Int64
    let rowCount: Int
    let columnCount: Int
    let sha256: String
    let createdAt: String
    let columns: [ColumnSchema]?

    enum CodingKeys: String, CodingKey {
        case id, name, sha256, columns
        case sizeBytes = "size_bytes", rowCount = "row_count", columnCount = "column_count", createdAt = "created_at"
    }

    init(_ record: DatasetRecord, withColumns: Bool) {
        id = record.id
        name = record.name
        sizeBytes = record.sizeBytes
        rowCount = record.rowCount
        columnCount = record.columnCount
        sha256 = record.sha256
        createdAt = Timestamps.iso(record.createdAt)
        columns = withColumns ? (try? JSON.decode(DatasetSchema.self, from: record.schemaJSON))?.columns : nil
    }
}
