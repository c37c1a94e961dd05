/// Infers one column's ``ColumnType``, converts its fields and summarises it, in one or two passes
/// over the tokenized bytes.
///
/// Rules, applied to each field's decoded value trimmed of spaces and tabs:
/// - **missing**: empty or one of ``MissingValues/tokens``;
/// - **empty**: every value missing;
/// - **integer**: every present value is a number written without `.` or exponent;
/// - **numeric**: every present value is a finite number (see ``CSVNumber``);
/// - **boolean**: every present value is `true`, `false`, `yes` or `no`, any case
///   (stored as `"true"`/`"false"`);
/// - **categorical**: at most `max(20, present / 20)` distinct values and at least one repeated;
/// - **text**: anything else.
enum ColumnInference {
    /// Whether `distinct` values among `present` make a categorical (rather than text) column.
    static func isCategorical(distinct: Int, present: Int) -> Bool {
        distinct <= max(20, present / 20) && distinct < present
    }

    /// `true`/`false` for a boolean word (`true`, `false`, `yes`, `no`, any case), else nil.
    static func booleanValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard bytes.count >= 2 && bytes.count <= 5 else { return nil }
        var lower: [UInt8] = []
        lower.reserveCapacity(5)
        for b in bytes { lower.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
        switch lower {
        case Array("true".utf8), Array("yes".utf8): return true
        case Array("false".utf8), Array("no".utf8): return false
        default: return nil
        }
    }

    /// The column at `column` of the reader's index, with its schema.
    static func infer(_ reader: CSVFieldReader, column: Int) -> (Column, ColumnSchema) {
        let index = reader.index
        let name = index.header[column]
        let rows = index.rowCount
        if let numeric = numbers(reader, column: column) {
            if numeric.missing == rows {
                let data = ColumnData.strings(Array(repeating: nil, count: rows))
                return (Column(name: name, type: .empty, data: data),
                        ColumnSchema(name: name, type: .empty, missing: rows, distinct: 0, summary: ColumnSummary()))
            }
            let type: ColumnType = numeric.allIntegers ? .integer : .numeric
            var distinct = DistinctDoubles(capacity: rows - numeric.missing)
            for v in numeric.values where !v.isNaN { distinct.insert(v) }
            let schema = ColumnSchema(name: name, type: type, missing: numeric.missing, distinct: distinct.count,
                                      summary: .numeric(numeric.values))
            return (Column(name: name, type: type, data: .numbers(numeric.values)), schema)
        }
        return strings(reader, column: column)
    }

    /// Parses every field as a number; nil as soon as a present value is not one.
    static func numbers(_ reader: CSVFieldReader, column: Int) -> (values: [Double], missing: Int, allIntegers: Bool)? {
        let rows = reader.index.rowCount
        var missing = 0
        var allIntegers = true
        var failed = false
        let values = [Double](unsafeUninitializedCapacity: rows) { buffer, initialized in
            for r in 0..<rows {
                let (p, n) = reader.value(row: r, column: column)
                if n == 0 {
                    buffer[r] = .nan
                    missing += 1
                } else if let parsed = CSVNumber.parse(p, n) {
                    buffer[r] = parsed.isInteger && parsed.value == 0 ? 0 : parsed.value
                    allIntegers = allIntegers && parsed.isInteger
                } else if MissingValues.isMissing(p, n) {
                    buffer[r] = .nan
                    missing += 1
                } else {
                    failed = true
                    initialized = 0
                    return
                }
            }
            initialized = rows
        }
        return failed ? nil : (values, missing, allIntegers)
    }

    /// Interns every present value and classifies the column as boolean, categorical or text.
    static func strings(_ reader: CSVFieldReader, column: Int) -> (Column, ColumnSchema) {
        let index = reader.index
        let name = index.header[column]
        let rows = index.rowCount
        let interner = ByteInterner()
        var missing = 0
        let ids = [Int32](unsafeUninitializedCapacity: rows) { buffer, initialized in
            for r in 0..<rows {
                let (p, n) = reader.value(row: r, column: column)
                if MissingValues.isMissing(p, n) {
                    buffer[r] = -1
                    missing += 1
                } else {
                    buffer[r] = interner.intern(p, n)
                }
            }
            initialized = rows
        }
        let present = rows - missing
        let uniques = interner.count

        // Boolean: every distinct value is a boolean word.
        var booleans: [Bool] = []
        booleans.reserveCapacity(min(uniques, 8))
        for id in 0..<uniques {
            guard let b = booleanValue(interner.bytes(id)) else { booleans = []; break }
            booleans.append(b)
        }
        if uniques > 0 && booleans.count == uniques {
            var trueCount = 0, falseCount = 0
            for (id, b) in booleans.enumerated() {
                if b { trueCount += interner.counts[id] } else { falseCount += interner.counts[id] }
            }
            let data: [String?] = ids.map { $0 < 0 ? nil : (booleans[Int($0)] ? "true" : "false") }
            var counts: [ValueCount] = []
            if trueCount > 0 { counts.append(ValueCount(value: "true", count: trueCount)) }
            if falseCount > 0 { counts.append(ValueCount(value: "false", count: falseCount)) }
            let schema = ColumnSchema(name: name, type: .boolean, missing: missing, distinct: counts.count,
                                      summary: .categories(counts))
            return (Column(name: name, type: .boolean, data: .strings(data)), schema)
        }

        let type: ColumnType = isCategorical(distinct: uniques, present: present) ? .categorical : .text
        let values = (0..<uniques).map { interner.string($0) }
        let data: [String?] = ids.map { $0 < 0 ? nil : values[Int($0)] }
        let counts = (0..<uniques).map { ValueCount(value: values[$0], count: interner.counts[$0]) }
        let schema = ColumnSchema(name: name, type: type, missing: missing, distinct: uniques,
                                  summary: .categories(counts))
        return (Column(name: name, type: type, data: .strings(data)), schema)
    }
}
