/// Precision, recall and F1 of one class.
public struct ClassMetrics: Sendable, Equatable, Codable {
    /// The class label.
    public let label: String
    /// TP / (TP + FP); 0 when nothing was predicted as this class.
    public let precision: Double
    /// TP / (TP + FN); 0 when the class does not occur.
    public let recall: Double
    /// Harmonic mean of precision and recall; 0 when both are 0.
    public let f1: Double
    /// Number of true rows of this class.
    public let support: Int
}
