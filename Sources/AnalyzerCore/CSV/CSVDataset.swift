import Foundation

/// Loads a CSV file into a typed ``Table`` and its ``DatasetSchema``.
///
/// Dialect: RFC 4180 quoting, `,` `;` or tab delimiter detected from the first lines, LF/CRLF/CR
/// line ends, optional UTF-8 BOM, header row required (names trimmed, non-empty, unique), every
/// row with as many fields as the header. Missing values are pandas' defaults
/// (``MissingValues``); numbers are parsed without locale (``CSVNumber``); the column type rules
/// are those of ``ColumnType`` as documented on ``CSVDataset/parse(bytes:)``. Values are trimmed of
/// surrounding spaces and tabs. Numeric and integer columns become `.numbers` (NaN for missing),
/// the others `.strings` (nil for missing, booleans as `"true"`/`"false"`).
public enum CSVDataset {
    /// Reads the file at `url` (memory-mapped) and parses it. Throws ``CSVError``.
    public static func load(contentsOf url: URL) throws -> (table: Table, schema: DatasetSchema) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw CSVError(kind: .unreadableFile, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(data)
    }

    /// Parses CSV bytes. Throws ``CSVError``.
    public static func parse(_ data: Data) throws -> (table: Table, schema: DatasetSchema) {
        try data.withUnsafeBytes { try parse(bytes: $0) }
    }

    /// Parses CSV bytes. Throws ``CSVError``.
    ///
    /// Type inference per column, on values trimmed of spaces and tabs: missing = empty or an NA
    /// token; `empty` when all are missing; `integer` when every present value is written as an
    /// integer; `numeric` when every present value is a finite number; `boolean` when every present
    /// value is true/false/yes/no (any case); `categorical` when there are at most
    /// max(20, present ÷ 20) distinct values and some value repeats; `text` otherwise.
    public static func parse(bytes: UnsafeRawBufferPointer) throws -> (table: Table, schema: DatasetSchema) {
        let index = try CSVTokenizer.tokenize(bytes, parseNumbers: true)
        let reader = CSVFieldReader(index)
        var distinct = DistinctDoubles()
        var columns: [Column] = []
        var schemas: [ColumnSchema] = []
        columns.reserveCapacity(index.columnCount)
        schemas.reserveCapacity(index.columnCount)
        for c in 0..<index.columnCount {
            let (column, schema) = ColumnInference.infer(reader, column: c, distinct: &distinct)
            columns.append(column)
            schemas.append(schema)
        }
        return (Table(columns: columns, rowCount: index.rowCount),
                DatasetSchema(rowCount: index.rowCount, columns: schemas))
    }
}
