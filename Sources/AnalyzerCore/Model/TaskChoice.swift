/// The task requested for training: explicit, or inferred from the target column.
public enum TaskChoice: String, Sendable, Codable, CaseIterable {
    /// Regression for a real-valued target or an integer target with more than 20 distinct
    /// values; classification otherwise.
    case auto
    /// Predict a class label.
    case classification
    /// Predict a number.
    case regression
}
