/// A dense, row-major matrix of model inputs: the output of `generate_features`.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (samples).
    public var rows: Int
    /// Number of columns (features).
    public var cols: Int
    /// `rows × cols` values, row after row.
    public var values: [Double]

    /// A matrix over existing values; `values.count` must equal `rows × cols`.
    public init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "FeatureMatrix: \(values.count) values for \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// The value at (`row`, `col`).
    public subscript(row: Int, col: Int) -> Double {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// A copy of row `row`.
    public func row(_ row: Int) -> [Double] { Array(values[(row * cols)..<((row + 1) * cols)]) }
}
