/// What one raw field holds, for a column that may still be numeric.
enum CSVCell {
    case number(Double, isInteger: Bool)
    case missing
    /// Neither a number nor missing: the column is not numeric.
    case text

    /// Classifies the raw span `start..<end`: quotes removed (a field with escaped quotes is never a
    /// number or NA token), trimmed of spaces and tabs, then missing / number / text.
    @inline(__always)
    static func classify(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> CSVCell {
        var s = start, e = end
        if e > s && base[s] == CSVTokenizer.quote {
            guard e - s >= 2 && base[e - 1] == CSVTokenizer.quote else { return .text }
            s += 1
            e -= 1
            var i = s
            while i < e {
                if base[i] == CSVTokenizer.quote { return .text }
                i += 1
            }
        }
        (s, e) = trim(base, s, e)
        if s == e { return .missing }
        if let n = CSVNumber.parse(base + s, e - s) { return .number(n.value, isInteger: n.isInteger) }
        return MissingValues.isMissing(base + s, e - s) ? .missing : .text
    }

    /// `start..<end` without its leading and trailing spaces and tabs.
    @inline(__always)
    static func trim(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e && (base[s] == CSVTokenizer.space || base[s] == CSVTokenizer.tab) { s += 1 }
        while e > s && (base[e - 1] == CSVTokenizer.space || base[e - 1] == CSVTokenizer.tab) { e -= 1 }
        return (s, e)
    }

    /// `body` over the UTF-8 bytes of `text` trimmed of spaces and tabs, as a field is read; nil
    /// when the string has no bytes to point at (it is empty).
    @inline(__always)
    static func withTrimmedBytes<R>(_ text: String, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R? {
        var text = text
        return text.withUTF8 { buf in
            guard let base = buf.baseAddress else { return nil }
            let (s, e) = trim(base, 0, buf.count)
            return body(base + s, e - s)
        }
    }
}
