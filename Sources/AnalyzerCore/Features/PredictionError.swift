/// A prediction row that `generate_features` cannot encode. Names the first offending field (and
/// row, for batches); fields are checked in the model's column order, then unknown fields by name.
public struct PredictionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the field.
    public enum Code: String, Sendable, Codable {
        /// A feature column is absent from the row (an explicit `null` is a missing value, not an error).
        case missingField = "missing_field"
        /// The row has a field that is not a column of the training data.
        case unknownField = "unknown_field"
        /// The value has the wrong type, e.g. text for a numeric column.
        case invalidType = "invalid_type"
        /// A number is NaN or infinite.
        case nonFinite = "non_finite"
    }

    /// Machine-readable code.
    public let code: Code
    /// Message naming the field (and row), prefixed with `generate_features:`.
    public let message: String
    /// The offending field.
    public let field: String
    /// Row index within a batch; nil for a single-row prediction.
    public let row: Int?

    /// Creates an error; the message is built from the parts.
    public init(code: Code, field: String, row: Int?, detail: String) {
        self.code = code
        self.field = field
        self.row = row
        let location = row.map { "row \($0): " } ?? ""
        self.message = "generate_features: \(location)field '\(field)' \(detail)"
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
