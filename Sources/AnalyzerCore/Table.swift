/// One column of a ``Table``: numbers (missing = `.nan`) or strings (missing = `nil`).
public enum ColumnData: Sendable, Equatable {
    case numbers([Double])
    case strings([String?])

    /// Number of rows in the column.
    public var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .strings(let v): v.count
        }
    }
}

/// A named, typed column.
public struct Column: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var data: ColumnData
}

/// A parsed dataset held column-wise: the unit the feature pipeline and learners consume.
///
/// Numeric and integer columns hold `.numbers`; boolean, categorical, text and empty columns hold
/// `.strings` (booleans normalised to `"true"`/`"false"`).
public struct Table: Sendable, Equatable {
    public var columns: [Column]
    public var rowCount: Int

    public init(columns: [Column], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

    /// Column names in file order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column called `name`, if any.
    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// A table with only the rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Table {
        Table(
            columns: columns.map { c in
                switch c.data {
                case .numbers(let v): Column(name: c.name, type: c.type, data: .numbers(indices.map { v[$0] }))
                case .strings(let v): Column(name: c.name, type: c.type, data: .strings(indices.map { v[$0] }))
                }
            },
            rowCount: indices.count)
    }
}

/// One input value for prediction, as it arrives in JSON or CSV.
public enum FeatureValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case missing
}
