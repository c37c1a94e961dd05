/// Regression scores on a test set, as scikit-learn computes them.
public struct RegressionMetrics: Sendable, Equatable, Codable {
    /// Coefficient of determination, 1 − SS_res / SS_tot. With a constant truth: 1 for a perfect
    /// prediction, else 0 (scikit-learn's `force_finite`).
    public let r2: Double
    /// Mean absolute error.
    public let mae: Double
    /// Root mean squared error.
    public let rmse: Double
    /// Number of rows scored.
    public let count: Int

    /// Scores `predicted` against `actual` (same length).
    public init(actual: [Double], predicted: [Double]) {
        precondition(actual.count == predicted.count, "RegressionMetrics: length mismatch")
        let n = actual.count
        count = n
        guard n > 0 else {
            r2 = 0; mae = 0; rmse = 0
            return
        }
        let mean = actual.reduce(0, +) / Double(n)
        var absolute = 0.0, residual = 0.0, total = 0.0
        for (a, p) in zip(actual, predicted) {
            absolute += abs(a - p)
            residual += (a - p) * (a - p)
            total += (a - mean) * (a - mean)
        }
        mae = absolute / Double(n)
        rmse = (residual / Double(n)).squareRoot()
        if total == 0 {
            r2 = residual == 0 ? 1 : 0
        } else {
            r2 = 1 - residual / total
        }
    }
}
