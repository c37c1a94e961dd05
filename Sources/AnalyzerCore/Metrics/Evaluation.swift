/// Test-set scores of a trained model: the classification or the regression part is set.
public struct Evaluation: Sendable, Equatable, Codable {
    /// Scores of a classification model.
    public var classification: ClassificationMetrics?
    /// Scores of a regression model.
    public var regression: RegressionMetrics?

    /// An evaluation with either part.
    public init(classification: ClassificationMetrics? = nil, regression: RegressionMetrics? = nil) {
        self.classification = classification
        self.regression = regression
    }

    /// The headline score: accuracy for classification, R² for regression.
    public var primaryScore: Double? { classification?.accuracy ?? regression?.r2 }
}
