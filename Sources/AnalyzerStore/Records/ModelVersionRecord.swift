/// A model's place among the models of the same name: version 1, 2, … in training order.
public struct ModelVersionRecord: Codable, Sendable, Equatable {
    public var modelId: String
    /// The model name the versions share.
    public var name: String
    public var version: Int
    /// Seconds since 1970.
    public var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case name, version
        case modelId = "model_id", createdAt = "created_at"
    }

    public init(modelId: String, name: String, version: Int, createdAt: Double) {
        self.modelId = modelId
        self.name = name
        self.version = version
        self.createdAt = createdAt
    }
}
