/// One served prediction, as the prediction log keeps it (for drift, live accuracy and audits).
public struct PredictionLogEntry: Codable, Sendable, Equatable {
    /// The `prediction_id` the API returned.
    public var id: String
    /// The model that predicted.
    public var modelId: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// The input row as a JSON object (column → value).
    public var inputsJSON: String
    /// The output as JSON: `{"label":…,"probabilities":{…}}` or `{"value":…}`.
    public var outputJSON: String

    enum CodingKeys: String, CodingKey {
        case id
        case modelId = "model_id", createdAt = "created_at", inputsJSON = "inputs_json", outputJSON = "output_json"
    }

    public init(id: String, modelId: String, createdAt: Double, inputsJSON: String, outputJSON: String) {
        self.id = id
        self.modelId = modelId
        self.createdAt = createdAt
        self.inputsJSON = inputsJSON
        self.outputJSON = outputJSON
    }
}
