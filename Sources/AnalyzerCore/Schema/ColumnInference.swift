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
    ///
    /// `distinct` is scratch space shared by the columns of one parse.
    static func infer(_ reader: CSVFieldReader, column: Int, distinct: inout DistinctDoubles) -> (Column, ColumnSchema) {
        let index = reader.index
        let name = index.header[column]
        let rows = index.rowCount
        if index.numeric[column] != 0 {
            let values = index.numberColumns[column]
            let missing = index.missing[column]
            if missing == rows {
                let data = ColumnData.strings(Array(repeating: nil, count: rows))
                return (Column(name: name, type: .empty, data: data),
                        ColumnSchema(name: name, type: .empty, missing: rows, distinct: 0, summary: ColumnSummary()))
            }
            let type: ColumnType = index.integers[column] != 0 ? .integer : .numeric
            let distinctCount = values.withUnsafeBufferPointer { distinct.count($0) }
            let schema = ColumnSchema(name: name, type: type, missing: missing, distinct: distinctCount,
                                      summary: .numeric(values))
            return (Column(name: name, type: type, data: .numbers(values)), schema)
        }
        return strings(reader, column: column)
    }

    /// Interns every present value and classifies the column as boolean, categorical or text.
    static func strings(_ reader: CSVFieldReader, column: Int) -> (Column, ColumnSchema) {
        let index = reader.index
        let name = index.header[column]
        let rows = index.rowCount
        var interner = ByteInterner()
        var missing = 0
        let ids = UnsafeMutablePointer<Int32>.allocate(capacity: rows)
        defer { ids.deallocate() }
        for r in 0..<rows {
            let (p, n) = reader.value(row: r, column: column)
            if MissingValues.isMissing(p, n) {
                ids[r] = -1
                missing += 1
            } else {
                ids[r] = interner.intern(p, n)
            }
        }
        let idList = UnsafeBufferPointer(start: ids, count: rows)
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
            let data: [String?] = idList.map { $0 < 0 ? nil : (booleans[Int($0)] ? "true" : "false") }
            var counts: [ValueCount] = []
            if trueCount > 0 { counts.append(ValueCount(value: "true", count: trueCount)) }
            if falseCount > 0 { counts.append(ValueCount(value: "false", count: falseCount)) }
            let schema = ColumnSchema(name: name, type: .boolean, missing: missing, distinct: counts.count,
                                      summary: .categories(counts))
            return (Column(name: name, type: .boolean, data: .strings(data)), schema)
        }

        let type: ColumnType = isCategorical(distinct: uniques, present: present) ? .categorical : .text
        let values = (0..<uniques).map { interner.string($0) }
        let data: [String?] = idList.map { $0 < 0 ? nil : values[Int($0)] }
        let counts = (0..<uniques).map { ValueCount(value: values[$0], count: interner.counts[$0]) }
        let schema = ColumnSchema(name: name, type: type, missing: missing, distinct: uniques,
                                  summary: .categories(counts))
        return (Column(name: name, type: type, data: .strings(data)), schema)
    }
}
