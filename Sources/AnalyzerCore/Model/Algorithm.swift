/// The learning algorithms, named as in the API (scikit-learn defaults unless parameters say otherwise).
public enum Algorithm: String, Sendable, Codable, CaseIterable {
    /// Multinomial logistic regression, L2 (C = 1), L-BFGS. Classification.
    case logisticRegression = "logistic_regression"
    /// Ordinary least squares with intercept. Regression.
    case linearRegression = "linear_regression"
    /// L2-penalised least squares (alpha = 1), intercept unpenalised. Regression.
    case ridge
    /// CART tree: gini (classification) or squared error (regression).
    case decisionTree = "decision_tree"
    /// Bagged CART trees (100) with per-split feature sampling.
    case randomForest = "random_forest"

    /// The algorithm called `name`, or `unknown_algorithm`.
    public static func named(_ name: String) throws(TrainingError) -> Algorithm {
        guard let a = Algorithm(rawValue: name) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw TrainingError(.unknownAlgorithm, "unknown algorithm '\(name)'; known: \(known)")
        }
        return a
    }

    /// Whether the algorithm can learn `task`.
    public func supports(_ task: ModelTask) -> Bool {
        switch self {
        case .logisticRegression: task == .classification
        case .linearRegression, .ridge: task == .regression
        case .decisionTree, .randomForest: true
        }
    }
}
