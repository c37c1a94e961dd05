/// The inferred schema of a dataset: its row count and one ``ColumnSchema`` per column, in file order.
///
/// JSON: `{"row_count": 150, "columns": [...]}`.
public struct DatasetSchema: Codable, Sendable, Equatable {
    /// Number of data rows (header excluded).
    public var rowCount: Int
    public var columns: [ColumnSchema]

    enum CodingKeys: String, CodingKey {
        case rowCount = "row_count"
        case columns
    }
}

extension DatasetSchema {
    /// Describes every column of `table` (see ``ColumnSchema/init(describing:)``).
    public init(describing table: Table) {
        self.init(rowCount: table.rowCount, columns: table.columns.map(ColumnSchema.init(describing:)))
    }

    /// The schema of the column called `name`, if any.
    public func column(named name: String) -> ColumnSchema? { columns.first { $0.name == name } }
}
