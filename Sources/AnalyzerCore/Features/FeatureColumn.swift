/// An input column a model reads: what the service validates and renders in a prediction form.
public struct FeatureColumn: Sendable, Equatable, Codable {
    /// Column name, as in the training CSV header.
    public let name: String
    /// Column type inferred at training time.
    public let type: ColumnType
    /// How the column becomes features.
    public let encoding: FeatureEncoding
    /// Index of this column's first output feature.
    public let offset: Int

    /// Number of output features.
    public var width: Int { encoding.width }

    /// The categories seen in training (one-hot columns), or nil for numeric columns.
    public var levels: [String]? {
        if case .oneHot(let levels, _) = encoding { return levels }
        return nil
    }
}
