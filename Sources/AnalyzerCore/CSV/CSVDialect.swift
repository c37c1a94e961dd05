import Foundation

/// The delimiter of a CSV file, detected from its first lines.
///
/// Quoting is always RFC 4180 double quotes (`"`, escaped as `""`); lines end in LF, CRLF or CR.
public struct CSVDialect: Sendable, Equatable {
    /// The field separator: `,`, `;` or tab.
    public var delimiter: UInt8

    /// Creates a dialect with an explicit delimiter.
    public init(delimiter: UInt8) { self.delimiter = delimiter }

    /// Comma-separated values.
    public static let comma = CSVDialect(delimiter: UInt8(ascii: ","))
    /// Semicolon-separated values (common where the decimal separator is a comma).
    public static let semicolon = CSVDialect(delimiter: UInt8(ascii: ";"))
    /// Tab-separated values.
    public static let tab = CSVDialect(delimiter: UInt8(ascii: "\t"))

    /// Candidate delimiters in order of preference when the evidence ties.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

    /// Detects the delimiter of `data` (rules on the `UnsafeRawBufferPointer` overload).
    public static func detect(in data: Data) -> CSVDialect {
        data.withUnsafeBytes { detect(in: $0) }
    }

    /// Detects the delimiter from the header and up to nine following records.
    ///
    /// Occurrences of `,`, `;` and tab are counted per record outside double quotes. The winner is
    /// the candidate present in the header whose count is the same in every sampled complete record,
    /// then the one with the most header occurrences, then the first of `,` `;` tab. A header without
    /// any candidate means a single-column comma file.
    public static func detect(in bytes: UnsafeRawBufferPointer) -> CSVDialect {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .comma }
        var pos = CSVTokenizer.bomLength(base, count)
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        // Skip leading blank lines, as the tokenizer does.
        while pos < count, base[pos] == lf || base[pos] == cr { pos += 1 }
        let limit = min(count, pos + 256 * 1024)
        var records: [[Int]] = []  // per record, counts for each candidate
        var current = [0, 0, 0]
        var inQuotes = false
        var sawContent = false
        while pos < limit && records.count < 10 {
            let c = base[pos]
            pos += 1
            if c == quote {
                inQuotes.toggle()
                sawContent = true
            } else if inQuotes {
                continue
            } else if c == lf || c == cr {
                if sawContent { records.append(current) }
                current = [0, 0, 0]
                sawContent = false
            } else {
                sawContent = true
                for (i, d) in candidates.enumerated() where c == d { current[i] += 1 }
            }
        }
        // A last record cut by end of file counts; one cut by the sampling limit does not.
        // A header longer than the sample still votes with what was seen of it.
        if sawContent && (records.isEmpty || (pos >= count && !inQuotes)) { records.append(current) }
        guard let header = records.first else { return .comma }
        let rest = records.dropFirst()
        var best: (index: Int, consistent: Bool, occurrences: Int)? = nil
        for i in candidates.indices where header[i] > 0 {
            let consistent = rest.allSatisfy { $0[i] == header[i] }
            let better: Bool
            if let b = best {
                better = (consistent && !b.consistent) || (consistent == b.consistent && header[i] > b.occurrences)
            } else {
                better = true
            }
            if better { best = (i, consistent, header[i]) }
        }
        return CSVDialect(delimiter: best.map { candidates[$0.index] } ?? UInt8(ascii: ","))
    }
}
