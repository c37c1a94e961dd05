

/// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF line ends).
enum CSVReader {
    /// Splits CSV text into records of fields.
    static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; afterQuote = true; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                record.append(field); field = ""; afterQuote = false
            case "\r":
                continue
            case "\n":
                record.append(field); field = ""; afterQuote = false
                records.append(record); record = []
                line += 1
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote { throw CSVError(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw CSVError(line: line, message: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty || afterQuote {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
