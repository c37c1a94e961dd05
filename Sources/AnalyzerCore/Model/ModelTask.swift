/// What a model predicts.
public enum ModelTask: String, Sendable, Codable, CaseIterable {
    /// A class label (with class probabilities).
    case classification
    /// A number.
    case regression
}
