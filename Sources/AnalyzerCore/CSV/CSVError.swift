/// A problem with a CSV file that the user caused and can fix.
///
/// `code` is a stable snake_case identifier for machines (`empty_file`, `no_rows`, `ragged_row`,
/// `unterminated_quote`, `invalid_utf8`, `duplicate_column`, `empty_column_name`,
/// `file_too_large`, `unreadable_file`); `message` is for humans and names the line (1-based
/// physical line in the file, the header being line 1) and the column where that applies.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of CSV error; the raw value is the stable machine `code`.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case emptyFile = "empty_file"
        case noRows = "no_rows"
        case raggedRow = "ragged_row"
        case unterminatedQuote = "unterminated_quote"
        case invalidUTF8 = "invalid_utf8"
        case duplicateColumn = "duplicate_column"
        case emptyColumnName = "empty_column_name"
        case fileTooLarge = "file_too_large"
        case unreadableFile = "unreadable_file"
    }

    /// What went wrong.
    public let kind: Kind
    /// Human-readable explanation naming the line and column where they apply.
    public let message: String
    /// 1-based physical line in the file (the header is line 1), when the error has one.
    public let line: Int?
    /// 1-based column index, when the error concerns one column.
    public let column: Int?

    /// Stable snake_case machine code, e.g. `"ragged_row"`.
    public var code: String { kind.rawValue }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }

    /// Creates an error; prefer the static factories, which write consistent messages.
    public init(kind: Kind, message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }
}

extension CSVError {
    /// Formats a column reference as `column 3 ("name")`, or `column 3` when the name is unknown.
    static func describeColumn(_ index: Int, _ name: String?) -> String {
        if let name { return "column \(index) (\"\(name)\")" }
        return "column \(index)"
    }

    static let emptyFile = CSVError(kind: .emptyFile, message: "the file is empty: expected a header row and at least one data row")

    static func noRows(columns: Int) -> CSVError {
        CSVError(kind: .noRows, message: "the file has a header (\(columns) column\(columns == 1 ? "" : "s")) but no data rows")
    }

    static func raggedRow(line: Int, fields: Int, expected: Int) -> CSVError {
        CSVError(
            kind: .raggedRow,
            message: "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), expected \(expected)",
            line: line)
    }

    static func unterminatedQuote(line: Int, column: Int, name: String?) -> CSVError {
        CSVError(
            kind: .unterminatedQuote,
            message: "line \(line), \(describeColumn(column, name)): quoted field is never closed (missing closing '\"')",
            line: line, column: column)
    }

    static func invalidUTF8(line: Int, column: Int?, name: String?, byte: UInt8) -> CSVError {
        let hex = String(byte, radix: 16, uppercase: true)
        let at = column.map { ", " + describeColumn($0, name) } ?? ""
        return CSVError(
            kind: .invalidUTF8,
            message: "line \(line)\(at): invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex)); save the file as UTF-8",
            line: line, column: column)
    }

    static func duplicateColumn(_ name: String, first: Int, second: Int) -> CSVError {
        CSVError(
            kind: .duplicateColumn,
            message: "line 1: column name \"\(name)\" appears twice, at columns \(first) and \(second)",
            line: 1, column: second)
    }

    static func emptyColumnName(column: Int) -> CSVError {
        CSVError(kind: .emptyColumnName, message: "line 1: column \(column) has an empty name", line: 1, column: column)
    }

    static func fileTooLarge(bytes: Int) -> CSVError {
        CSVError(kind: .fileTooLarge, message: "the file has \(bytes) bytes; at most \(UInt32.max) bytes are supported")
    }
}
