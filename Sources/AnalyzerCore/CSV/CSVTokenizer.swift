/// RFC 4180 tokenizer: splits a byte buffer into header names and a ``CSVFieldIndex``.
///
/// Rules: fields separated by the dialect's delimiter; records end in LF, CRLF or CR; a field whose
/// first byte is `"` is quoted and may hold delimiters, line breaks and `""` (an escaped quote);
/// bytes after the closing quote up to the next delimiter are kept literally (lenient, like
/// Python's `csv`). A UTF-8 BOM is skipped, empty lines are skipped (also before the header), and
/// so is a whitespace-only line in a multi-column file. The last line break is optional.
enum CSVTokenizer {
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// Length of a leading UTF-8 byte order mark (0 or 3).
    @inline(__always)
    static func bomLength(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
    }

    /// Tokenizes `bytes`, detecting the delimiter unless `dialect` is given.
    ///
    /// With `parseNumbers`, every field of a column that is still numeric is parsed while its bytes
    /// are hot (see ``CSVFieldIndex/numberColumns``): a well-formed number is parsed and delimited in one
    /// pass; anything else is scanned, then classified by ``CSVCell``.
    ///
    /// Throws ``CSVError`` for an empty file, a bad header (empty or duplicate names), a ragged row,
    /// an unterminated quote, invalid UTF-8 or a header without data rows.
    static func tokenize(
        _ bytes: UnsafeRawBufferPointer, dialect: CSVDialect? = nil, parseNumbers: Bool = false
    ) throws(CSVError) -> CSVFieldIndex {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw CSVError.emptyFile
        }
        guard count <= Int(UInt32.max) else { throw CSVError.fileTooLarge(bytes: count) }
        var pos = bomLength(base, count)
        var line = 1
        // Skip blank lines before the header; a file of only whitespace is empty.
        var probe = pos
        while probe < count, base[probe] == space || base[probe] == tab || base[probe] == lf || base[probe] == cr {
            probe += 1
        }
        if probe == count { throw CSVError.emptyFile }
        while pos < count, base[pos] == lf || base[pos] == cr {
            if base[pos] == lf || !(pos + 1 < count && base[pos + 1] == lf) { line += 1 }
            pos += 1
        }
        let headerLine = line
        let delimiter = (dialect ?? CSVDialect.detect(in: UnsafeRawBufferPointer(start: base + pos, count: count - pos))).delimiter

        // Header record.
        var headerSpans: [(Int, Int)] = []
        while true {
            let startLine = line
            let field = scanField(base, count, &pos, &line, delimiter)
            guard let field else {
                throw CSVError.unterminatedQuote(line: startLine, column: headerSpans.count + 1, name: nil)
            }
            headerSpans.append((field.start, field.end))
            if field.terminator != .delimiter { break }
        }
        let headerEnd = pos
        if let bad = UTF8Validation.firstInvalidOffset(base, from: 0, to: headerEnd) {
            var column = 1
            for (i, s) in headerSpans.enumerated() where s.0 <= bad { column = i + 1 }
            throw CSVError.invalidUTF8(line: headerLine + countLineBreaks(base, from: headerSpans[0].0, to: bad),
                                       column: column, name: nil, byte: base[bad])
        }
        var header: [String] = []
        header.reserveCapacity(headerSpans.count)
        var seen: [String: Int] = [:]
        for (i, s) in headerSpans.enumerated() {
            let name = decodeString(base, s.0, s.1, trim: true)
            if name.isEmpty { throw CSVError.emptyColumnName(column: i + 1) }
            if let first = seen[name] { throw CSVError.duplicateColumn(name, first: first, second: i + 1) }
            seen[name] = i + 1
            header.append(name)
        }
        let columns = header.count

        // Upper bound on data records: line breaks left plus one.
        let capacity = countLineBreakBytes(base, from: pos, to: count) + 1
        let index = CSVFieldIndex(base: base, byteCount: count, delimiter: delimiter, columnCount: columns, rowCapacity: capacity,
                                   parseNumbers: parseNumbers)
        index.header = header
        let starts = index.starts, rowLines = index.rowLines
        let numeric = index.numeric, integers = index.integers, missing = index.missing
        let stride = index.rowCapacity
        // Numbers are staged for `chunkRows` rows at a time (column-major, cache-sized), then
        // appended to each numeric column's array: no full-size staging matrix.
        let chunkRows = 1024
        let chunk: UnsafeMutablePointer<Double>? = parseNumbers ? .allocate(capacity: columns * chunkRows) : nil
        defer { chunk?.deallocate() }
        var chunkRow = 0
        func flush(_ n: Int) {
            guard let chunk else { return }
            for c in 0..<columns {
                if numeric[c] != 0 {
                    index.numberColumns[c].append(contentsOf: UnsafeBufferPointer(start: chunk + c * chunkRows, count: n))
                } else if index.numberColumns[c].capacity > 0 {
                    index.numberColumns[c] = []
                }
            }
        }
        var row = 0
        while pos < count {
            let c = base[pos]
            if c == lf || c == cr {  // blank line
                pos += 1
                if c == cr && pos < count && base[pos] == lf { pos += 1 }
                line += 1
                continue
            }
            let recordLine = line
            var column = 0
            var terminator = Terminator.eof
            var firstEnd = pos
            repeat {
                let fieldStart = pos
                var fieldEnd = -1
                let parse = column < columns && numeric[column] != 0
                if parse, let chunk, pos < count, base[pos] != quote, let n = CSVNumber.parsePrefix(base + pos, count - pos) {
                    // Fast path: a number followed directly by a delimiter, a line break or the end.
                    let q = pos + n.length
                    if q == count {
                        fieldEnd = q
                        terminator = .eof
                        pos = q
                    } else {
                        let next = base[q]
                        if next == delimiter {
                            fieldEnd = q
                            terminator = .delimiter
                            pos = q + 1
                        } else if next == lf || next == cr {
                            fieldEnd = q
                            terminator = .lineBreak
                            pos = q + 1
                            if next == cr && pos < count && base[pos] == lf { pos += 1 }
                            line += 1
                        }
                    }
                    if fieldEnd >= 0 {
                        chunk[column &* chunkRows &+ chunkRow] = n.value
                        if !n.isInteger { integers[column] = 0 }
                    }
                }
                if fieldEnd < 0 {
                    let startLine = line
                    guard let field = scanField(base, count, &pos, &line, delimiter) else {
                        throw CSVError.unterminatedQuote(line: startLine, column: column + 1,
                                                         name: column < columns ? header[column] : nil)
                    }
                    fieldEnd = field.end
                    terminator = field.terminator
                    if parse, let chunk {
                        switch CSVCell.classify(base, fieldStart, fieldEnd) {
                        case .number(let v, let isInteger):
                            chunk[column &* chunkRows &+ chunkRow] = v
                            if !isInteger { integers[column] = 0 }
                        case .missing:
                            chunk[column &* chunkRows &+ chunkRow] = .nan
                            missing[column] += 1
                        case .text:
                            numeric[column] = 0
                        }
                    }
                }
                if column < columns { starts[column &* stride &+ row] = UInt32(truncatingIfNeeded: fieldStart) }
                if column == 0 { firstEnd = fieldEnd }
                column += 1
            } while terminator == .delimiter
            if column != columns {
                if column == 1 && isBlank(base, Int(starts[row]), firstEnd) {
                    // A whitespace-only line: not a record; undo its count as a missing value.
                    if chunk != nil && numeric[0] != 0 { missing[0] -= 1 }
                    continue
                }
                throw CSVError.raggedRow(line: recordLine, fields: column, expected: columns)
            }
            rowLines[row] = UInt32(truncatingIfNeeded: recordLine)
            row += 1
            chunkRow += 1
            if chunkRow == chunkRows {
                flush(chunkRows)
                chunkRow = 0
            }
        }
        flush(chunkRow)
        index.rowCount = row
        if let bad = UTF8Validation.firstInvalidOffset(base, from: headerEnd, to: count) {
            let (line, column) = locate(index, offset: bad)
            throw CSVError.invalidUTF8(line: line, column: column.map { $0 + 1 }, name: column.map { header[$0] }, byte: base[bad])
        }
        if row == 0 { throw CSVError.noRows(columns: columns) }
        return index
    }

    /// How a field ended.
    enum Terminator { case delimiter, lineBreak, eof }

    /// Scans one field at `pos`, leaving `pos` after its delimiter or line break and counting line
    /// breaks into `line`. Returns nil for a quoted field without its closing quote.
    @inline(__always)
    static func scanField(
        _ base: UnsafePointer<UInt8>, _ count: Int, _ pos: inout Int, _ line: inout Int, _ delimiter: UInt8
    ) -> (start: Int, end: Int, terminator: Terminator)? {
        let start = pos
        var p = pos
        if p < count && base[p] == quote {
            p += 1
            var closed = false
            while p < count {
                let c = base[p]
                if c == quote {
                    if p + 1 < count && base[p + 1] == quote { p += 2; continue }
                    p += 1
                    closed = true
                    break
                }
                if c == lf {
                    line += 1
                } else if c == cr && !(p + 1 < count && base[p + 1] == lf) {
                    line += 1
                }
                p += 1
            }
            if !closed { pos = p; return nil }
        }
        // Unquoted bytes (or the remainder after a closing quote) up to the delimiter or line break.
        while p < count {
            let c = base[p]
            if c > cr && c != delimiter { p += 1; continue }
            if c == delimiter || c == lf || c == cr { break }
            p += 1
        }
        let end = p
        if p == count { pos = p; return (start, end, .eof) }
        let c = base[p]
        p += 1
        if c == delimiter { pos = p; return (start, end, .delimiter) }
        if c == cr && p < count && base[p] == lf { p += 1 }
        line += 1
        pos = p
        return (start, end, .lineBreak)
    }

    /// End (exclusive) of the field starting at `start` in already tokenized bytes.
    @inline(__always)
    static func fieldEnd(_ base: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ delimiter: UInt8) -> Int {
        var p = start
        if p < count && base[p] == quote {
            p += 1
            while p < count {
                if base[p] == quote {
                    if p + 1 < count && base[p + 1] == quote { p += 2; continue }
                    p += 1
                    break
                }
                p += 1
            }
        }
        while p < count {
            let c = base[p]
            if c > cr && c != delimiter { p += 1; continue }
            if c == delimiter || c == lf || c == cr { break }
            p += 1
        }
        return p
    }

    /// Whether bytes `start..<end` are only spaces and tabs.
    static func isBlank(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if base[i] != space && base[i] != tab { return false }
            i += 1
        }
        return true
    }

    /// Number of LF and CR bytes in `from..<to` (an upper bound on line breaks).
    static func countLineBreakBytes(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while i < to {
            let c = base[i]
            n &+= (c == lf || c == cr) ? 1 : 0
            i += 1
        }
        return n
    }

    /// Number of line breaks (LF, CRLF or lone CR) in `from..<to`.
    static func countLineBreaks(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while i < to {
            let c = base[i]
            if c == lf || (c == cr && !(i + 1 < to && base[i + 1] == lf)) { n += 1 }
            i += 1
        }
        return n
    }

    /// Physical line and 0-based column of byte `offset` in the data records.
    static func locate(_ index: CSVFieldIndex, offset: Int) -> (line: Int, column: Int?) {
        guard let (row, column) = index.locate(offset: offset) else { return (1, nil) }
        let recordStart = index.start(row: row, column: 0)
        return (Int(index.rowLines[row]) + countLineBreaks(index.base, from: recordStart, to: offset), column)
    }

    /// Decodes a raw field span (unescaping a quoted field), optionally trimming spaces and tabs.
    static func decodeString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, trim: Bool) -> String {
        let bytes = decodeBytes(base, start, end)
        var s = 0, e = bytes.count
        if trim {
            while s < e, bytes[s] == space || bytes[s] == tab { s += 1 }
            while e > s, bytes[e - 1] == space || bytes[e - 1] == tab { e -= 1 }
        }
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    /// The field's content bytes: quotes removed and `""` unescaped.
    static func decodeBytes(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> [UInt8] {
        guard start < end, base[start] == quote else {
            return Array(UnsafeBufferPointer(start: base + start, count: end - start))
        }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start + 1
        var inQuotes = true
        while i < end {
            let c = base[i]
            if inQuotes && c == quote {
                if i + 1 < end && base[i + 1] == quote {
                    out.append(quote)
                    i += 2
                    continue
                }
                inQuotes = false
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
