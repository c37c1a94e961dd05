/// Reads decoded field bytes out of a ``CSVFieldIndex`` without allocating per field.
///
/// Unquoted fields and quoted fields without escapes are returned in place; fields with `""`
/// escapes or text after the closing quote are unescaped into a scratch buffer that the next call
/// reuses. One reader per thread.
final class CSVFieldReader {
    let index: CSVFieldIndex
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    init(_ index: CSVFieldIndex) {
        self.index = index
        scratchCapacity = 256
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit { scratch.deallocate() }

    /// Content bytes of the field at (`row`, `column`): unquoted, unescaped, trimmed of spaces and tabs
    /// when `trim` is set. Valid until the next call.
    @inline(__always)
    func value(row: Int, column: Int, trim: Bool = true) -> (pointer: UnsafePointer<UInt8>, count: Int) {
        let (start, end) = index.span(row: row, column: column)
        var p = index.base + start
        var n = end - start
        if n > 0 && p[0] == CSVTokenizer.quote {
            (p, n) = unquote(start, end)
        }
        if trim && n > 0 && (p[0] <= CSVTokenizer.space || p[n - 1] <= CSVTokenizer.space) {
            while n > 0 && (p[0] == CSVTokenizer.space || p[0] == CSVTokenizer.tab) { p += 1; n -= 1 }
            while n > 0 && (p[n - 1] == CSVTokenizer.space || p[n - 1] == CSVTokenizer.tab) { n -= 1 }
        }
        return (p, n)
    }

    /// The field as a `String` (decoded; trimmed when `trim` is set).
    func string(row: Int, column: Int, trim: Bool) -> String {
        let (p, n) = value(row: row, column: column, trim: trim)
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    @inline(never)
    private func unquote(_ start: Int, _ end: Int) -> (UnsafePointer<UInt8>, Int) {
        let base = index.base
        let quote = CSVTokenizer.quote
        // Common case: "content" with no inner quote.
        var i = start + 1
        while i < end && base[i] != quote { i += 1 }
        if i == end - 1 { return (base + start + 1, end - start - 2) }
        if end - start > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(end - start, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        var n = 0
        i = start + 1
        var inQuotes = true
        while i < end {
            let c = base[i]
            if inQuotes && c == quote {
                if i + 1 < end && base[i + 1] == quote {
                    scratch[n] = quote
                    n += 1
                    i += 2
                    continue
                }
                inQuotes = false
            } else {
                scratch[n] = c
                n += 1
            }
            i += 1
        }
        return (UnsafePointer(scratch), n)
    }
}
