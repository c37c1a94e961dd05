/// The true outcome of a logged prediction: a class label (classification) or a value (regression).
public struct FeedbackRecord: Codable, Sendable, Equatable {
    /// The prediction this is the truth for.
    public var predictionId: String
    /// The model that made the prediction (denormalised for per-model windows).
    public var modelId: String
    /// True class, for classification models.
    public var label: String?
    /// True value, for regression models.
    public var value: Double?
    /// Seconds since 1970.
    public var createdAt: Double
    /// What the model predicted (classification), copied from the prediction so that live quality
    /// needs no join with the prediction log.
    public var predictedLabel: String?
    /// What the model predicted (regression).
    public var predictedValue: Double?

    enum CodingKeys: String, CodingKey {
        case label, value
        case predictionId = "prediction_id", modelId = "model_id", createdAt = "created_at"
        case predictedLabel = "predicted_label", predictedValue = "predicted_value"
    }

    public init(
        predictionId: String, modelId: String, label: String? = nil, value: Double? = nil, createdAt: Double,
        predictedLabel: String? = nil, predictedValue: Double? = nil
    ) {
        self.predictionId = predictionId
        self.modelId = modelId
        self.label = label
        self.value = value
        self.createdAt = createdAt
        self.predictedLabel = predictedLabel
        self.predictedValue = predictedValue
    }
}
