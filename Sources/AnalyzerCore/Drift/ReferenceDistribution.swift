/// The training-time input distribution of a model, stored with it, against which live inputs are
/// compared (PSI drift).
public struct ReferenceDistribution: Sendable, Equatable, Codable {
    /// One reference per input column, in the pipeline's column order.
    public let features: [FeatureReference]

    /// A reference from per-feature parts.
    public init(features: [FeatureReference]) {
        self.features = features
    }

    /// The reference of the training rows `table` for every column `pipeline` uses: numeric columns
    /// get decile bins, string columns category counts (missing values left out).
    public static func fit(table: Table, pipeline: FeaturePipeline) -> ReferenceDistribution {
        var features: [FeatureReference] = []
        for column in pipeline.columns {
            let data = table.column(named: column.name)?.data ?? .numbers([])
            switch (column.encoding, data) {
            case (.standardized, .numbers(let values)):
                features.append(.numeric(name: column.name, sample: values))
            case (.standardized, .strings(let values)):
                features.append(.numeric(name: column.name, sample: values.map { $0.flatMap { CSVNumber.parse($0)?.value } ?? .nan }))
            case (.oneHot, .strings(let values)):
                features.append(.categorical(name: column.name, sample: values))
            case (.oneHot, .numbers(let values)):
                features.append(.categorical(name: column.name, sample: values.map { $0.isFinite ? FeaturePipeline.categoryString($0) : nil }))
            }
        }
        return ReferenceDistribution(features: features)
    }
}
