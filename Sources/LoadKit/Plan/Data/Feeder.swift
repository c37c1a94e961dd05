/// Rows of a CSV file that requests draw values from (`${feeder.column}` or a `json_row` body).
public final class Feeder: Sendable {
    /// How rows are handed out.
    public enum Mode: String, Sendable, CaseIterable {
        /// In file order, wrapping around, shared by all users.
        case sequential
        /// A random row each time.
        case random
        /// Each row once across all users; the user stops when rows run out.
        case unique
    }

    /// The name used in templates.
    public let name: String
    /// Header names in file order.
    public let columns: [String]
    /// Typed cells, one array per row.
    public let rows: [[TemplateValue]]
    /// Row order.
    public let mode: Mode
    private let cursor = SharedCounter()

    /// Creates a feeder from parsed rows.
    public init(name: String, columns: [String], rows: [[TemplateValue]], mode: Mode) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.mode = mode
    }

    /// Loads a CSV text whose first line is the header.
    public convenience init(name: String, csv: String, mode: Mode) throws(CSVError) {
        let table = try CSVReader.parse(csv)
        guard let header = table.first else { throw CSVError(line: 1, message: "the file is empty") }
        var rows: [[TemplateValue]] = []
        rows.reserveCapacity(table.count - 1)
        for (n, record) in table.dropFirst().enumerated() {
            if record.count == 1 && record[0].isEmpty { continue }
            guard record.count == header.count else {
                throw CSVError(line: n + 2, message: "has \(record.count) fields, the header has \(header.count)")
            }
            rows.append(record.map(TemplateValue.init(csvCell:)))
        }
        guard !rows.isEmpty else { throw CSVError(line: 2, message: "the file has a header but no rows") }
        self.init(name: name, columns: header, rows: rows, mode: mode)
    }

    /// The index of a column.
    public func columnIndex(_ column: String) -> Int? {
        columns.firstIndex(of: column)
    }

    /// The next row index, or nil when a unique feeder is exhausted.
    func nextRow(using rng: inout some RandomNumberGenerator) -> Int? {
        switch mode {
        case .sequential: return cursor.next() % rows.count
        case .random: return Int.random(in: 0..<rows.count, using: &rng)
        case .unique:
            let n = cursor.next()
            return n < rows.count ? n : nil
        }
    }
}
