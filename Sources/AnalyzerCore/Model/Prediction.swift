/// One prediction: a label with class probabilities (classification) or a value (regression).
public struct Prediction: Sendable, Equatable, Codable {
    /// Predicted class (the most probable; ties go to the first class in order).
    public var label: String?
    /// Probability per class.
    public var probabilities: [String: Double]?
    /// Predicted number.
    public var value: Double?

    /// A prediction; set `label` and `probabilities` or `value`.
    public init(label: String? = nil, probabilities: [String: Double]? = nil, value: Double? = nil) {
        self.label = label
        self.probabilities = probabilities
        self.value = value
    }
}
