import Foundation

/// Row-by-row access to a CSV file as strings, for callers that apply their own types (e.g. batch
/// predictions posted as CSV).
///
/// Same dialect detection, header rules and errors as ``CSVDataset``. Fields are returned decoded
/// (quotes removed, `""` unescaped) but otherwise verbatim: not trimmed, NA tokens kept as written.
/// ``FeatureValue/init(csvField:)`` applies ``CSVDataset``'s value rules to one field.
public enum CSVRows {
    /// The header names (trimmed) and every data row with the 1-based physical line it starts on.
    /// Throws ``CSVError``.
    public static func read(_ data: Data) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
        try data.withUnsafeBytes { try read(bytes: $0) }
    }

    /// The header names (trimmed) and every data row with the 1-based physical line it starts on.
    /// Throws ``CSVError``.
    public static func read(bytes: UnsafeRawBufferPointer) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
        let index = try CSVTokenizer.tokenize(bytes)
        let reader = CSVFieldReader(index)
        var rows: [(line: Int, fields: [String])] = []
        rows.reserveCapacity(index.rowCount)
        for r in 0..<index.rowCount {
            var fields: [String] = []
            fields.reserveCapacity(index.columnCount)
            for c in 0..<index.columnCount { fields.append(reader.string(row: r, column: c, trim: false)) }
            rows.append((Int(index.rowLines[r]), fields))
        }
        return (index.header, rows)
    }
}
