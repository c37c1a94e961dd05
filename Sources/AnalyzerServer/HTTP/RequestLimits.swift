import AnalyzerCore
import Foundation

/// The per-request shape limits (`--max-columns`, `--max-batch-rows`), checked by counting bytes of
/// the body before it is parsed: a request over a limit is refused (413) before any per-column or
/// per-row structure is allocated. A 200,000-column CSV of 1.8 MB once grew a worker by over 1 GB
/// in parsing and got it SIGKILLed; the counts below read the bytes once and allocate nothing.
struct RequestLimits: Sendable {
    var maxColumns: Int
    var maxBatchRows: Int

    /// Refuses a CSV whose header has more than `maxColumns` fields.
    func checkColumns(csv bytes: UnsafeRawBufferPointer) throws {
        let delimiter = CSVDialect.detect(in: bytes).delimiter
        if Self.headerFields(bytes, delimiter: delimiter, stopAfter: maxColumns) > maxColumns {
            throw tooManyColumns("the CSV has more than \(maxColumns) columns")
        }
    }

    /// Refuses a CSV file (mapped, not read) whose header has more than `maxColumns` fields.
    func checkColumns(csvFile url: URL) throws {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return }  // the parser reports it
        try data.withUnsafeBytes { try checkColumns(csv: $0) }
    }

    /// Refuses a CSV prediction batch of more than `maxBatchRows` records after the header.
    func checkBatchRows(csv bytes: UnsafeRawBufferPointer) throws {
        if Self.records(bytes, stopAfter: maxBatchRows + 1) > maxBatchRows + 1 { throw tooManyRows }
    }

    /// Refuses a JSON prediction body of more than `maxBatchRows` rows or an object of more than
    /// `maxColumns` fields.
    func checkShape(json bytes: UnsafeRawBufferPointer) throws {
        let shape = Self.jsonShape(bytes, rowLimit: maxBatchRows, columnLimit: maxColumns)
        if shape.rows > maxBatchRows { throw tooManyRows }
        if shape.widest > maxColumns { throw tooManyColumns("a row has more than \(maxColumns) fields") }
    }

    private func tooManyColumns(_ what: String) -> AnalyzerError {
        AnalyzerError(.tooLarge, code: "too_many_columns", "\(what); the limit is \(maxColumns) (--max-columns)")
    }

    private var tooManyRows: AnalyzerError {
        AnalyzerError(
            .tooLarge, code: "too_many_rows",
            "the batch has more than \(maxBatchRows) rows; the limit is \(maxBatchRows) (--max-batch-rows): send it in smaller batches")
    }

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Fields of the first non-blank record (delimiters outside double quotes, plus one); counting
    /// stops past `limit`.
    static func headerFields(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8, stopAfter limit: Int) -> Int {
        var position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while position < bytes.count, bytes[position] == lf || bytes[position] == cr { position += 1 }
        var fields = 1, quoted = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == quote {
                quoted.toggle()
            } else if !quoted {
                if byte == lf || byte == cr { break }
                if byte == delimiter {
                    fields += 1
                    if fields > limit { break }
                }
            }
            position += 1
        }
        return fields
    }

    /// Non-blank records (line ends outside double quotes, a last line without one included);
    /// counting stops past `limit`.
    static func records(_ bytes: UnsafeRawBufferPointer, stopAfter limit: Int) -> Int {
        var records = 0, quoted = false, lineHasContent = false
        for byte in bytes {
            if byte == quote { quoted.toggle() }
            if !quoted, byte == lf || byte == cr {
                if lineHasContent { records += 1 }
                lineHasContent = false
                if records > limit { return records }
            } else {
                lineHasContent = true
            }
        }
        return records + (lineHasContent ? 1 : 0)
    }

    /// The rows of a JSON prediction body (elements of a top-level array, else 1) and the fields
    /// of its widest object, from commas outside strings (`[]` counts as one row; the decoder
    /// refuses it). Counting stops once either passes its limit.
    static func jsonShape(_ bytes: UnsafeRawBufferPointer, rowLimit: Int, columnLimit: Int) -> (rows: Int, widest: Int) {
        guard let first = bytes.firstIndex(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return (0, 0) }
        let objectDepth = bytes[first] == UInt8(ascii: "[") ? 2 : 1
        var depth = 0, rowCommas = 0, fieldCommas = 0, widest = 0, inString = false, escaped = false
        for byte in bytes[first...] {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == quote { inString = false }
                continue
            }
            switch byte {
            case quote: inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == objectDepth { fieldCommas = 0 }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","):
                if objectDepth == 2, depth == 1 { rowCommas += 1 }
                if depth == objectDepth {
                    fieldCommas += 1
                    widest = max(widest, fieldCommas + 1)
                }
            default: break
            }
            if rowCommas >= rowLimit || widest > columnLimit || depth == 0 { break }
        }
        return (rowCommas + 1, max(widest, 1))
    }
}
