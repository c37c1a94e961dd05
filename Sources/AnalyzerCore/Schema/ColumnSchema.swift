/// One column's inferred type, missing and distinct counts, and summary statistics.
public struct ColumnSchema: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    /// Number of missing values (NA tokens, empty fields).
    public var missing: Int
    /// Number of distinct present values (missing values excluded, as pandas' `nunique`).
    public var distinct: Int
    public var summary: ColumnSummary
}

extension ColumnSchema {
    /// Describes an already built column: what ``CSVDataset`` infers for the column it produced.
    ///
    /// Numbers: NaN counts as missing, `-0.0` equals `0.0`. Strings: `nil` counts as missing.
    public init(describing column: Column) {
        switch column.data {
        case .numbers(let values):
            var distinct = DistinctDoubles()
            let distinctCount = values.withUnsafeBufferPointer { distinct.count($0) }
            let missing = values.count { $0.isNaN }
            self.init(name: column.name, type: column.type, missing: missing, distinct: distinctCount,
                      summary: .numeric(values))
        case .strings(let values):
            var counts: [String: Int] = [:]
            var missing = 0
            for v in values {
                if let v { counts[v, default: 0] += 1 } else { missing += 1 }
            }
            self.init(name: column.name, type: column.type, missing: missing, distinct: counts.count,
                      summary: .categories(counts.map { ValueCount(value: $0.key, count: $0.value) }))
        }
    }
}
