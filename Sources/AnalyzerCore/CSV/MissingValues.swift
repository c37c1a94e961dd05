/// The strings that mean "no value" in a CSV field: pandas' default NA set.
///
/// A field is missing when, trimmed of spaces and tabs, it is empty or exactly (case-sensitive)
/// one of ``tokens``. `inf`/`Infinity` are *not* missing: they are text.
public enum MissingValues {
    /// pandas' default `na_values` (read_csv), besides the empty string.
    public static let tokens: [String] = [
        "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// Whether `text` is a missing value (empty after trimming, or one of ``tokens``).
    public static func isMissing(_ text: String) -> Bool {
        CSVCell.withTrimmedBytes(text) { isMissing($0, $1) } ?? true
    }

    /// Every token is at most 8 bytes: packed little-endian into a `UInt64`, with its length.
    static let packed: [(value: UInt64, length: Int)] = tokens.map { token in
        var v: UInt64 = 0
        for (i, b) in token.utf8.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return (v, token.utf8.count)
    }

    @inline(__always)
    static func pack(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(p[i]) << (8 * UInt64(i)) }
        return v
    }

    /// Whether the `count` trimmed bytes at `p` are empty or a missing-value token.
    @inline(__always)
    static func isMissing(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count == 0 { return true }
        if count > 8 { return false }
        // Every token starts with one of these bytes: reject everything else without a table walk.
        let f = p[0]
        guard f == UInt8(ascii: "N") || f == UInt8(ascii: "n") || f == UInt8(ascii: "#") || f == UInt8(ascii: "-")
            || f == UInt8(ascii: "1") || f == UInt8(ascii: "<") else { return false }
        let v = pack(p, count)
        for t in packed where t.value == v && t.length == count { return true }
        return false
    }
}
