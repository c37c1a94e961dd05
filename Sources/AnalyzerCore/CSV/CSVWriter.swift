/// Writes CSV text that ``CSVDataset`` and ``CSVRows`` (and pandas, Excel) read back unchanged.
public enum CSVWriter {
    /// `s` as one CSV field: wrapped in double quotes, with inner quotes doubled, when it holds the
    /// delimiter, a quote, a line break, or leading/trailing spaces or tabs (which readers trim);
    /// otherwise unchanged.
    public static func field(_ s: String, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        var needsQuotes = false
        for b in s.utf8 where b == delimiter || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
            needsQuotes = true
            break
        }
        if !needsQuotes, let first = s.utf8.first, let last = s.utf8.last {
            needsQuotes = first == UInt8(ascii: " ") || first == UInt8(ascii: "\t")
                || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t")
        }
        guard needsQuotes else { return s }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 4)
        for scalar in s.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        out += "\""
        return out
    }

    /// One record: the fields quoted as needed, joined by `delimiter`, ending in `\n`.
    public static func line(_ fields: [String], delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out.unicodeScalars.append(Unicode.Scalar(delimiter)) }
            out += field(f, delimiter: delimiter)
        }
        out += "\n"
        return out
    }
}
