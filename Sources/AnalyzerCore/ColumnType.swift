/// The inferred type of one CSV column.
public enum ColumnType: String, Codable, Sendable, CaseIterable {
    /// Real numbers (at least one non-integer value).
    case numeric
    /// Whole numbers only.
    case integer
    /// `true/false`, `yes/no`, `0/1`-free boolean words (case-insensitive).
    case boolean
    /// Few distinct string values, repeated.
    case categorical
    /// Free text: many distinct string values.
    case text
    /// Every value is missing.
    case empty

    /// Whether the column is stored as numbers (`Double`, NaN for missing).
    public var isNumeric: Bool { self == .numeric || self == .integer }
}
