/// Turns prediction rows into the model's feature matrix. ``TrainedModel`` uses
/// ``InPlaceFeatureGenerator`` unless the caller passes another implementation (the service's
/// "legacy" `generate_features`, for instance).
public protocol FeatureGenerator: Sendable {
    /// Writes `rows.count × pipeline.width` values (row-major) into `buffer`, replacing its
    /// contents, or throws for the first invalid field.
    func generateFeatures(
        rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]
    ) throws(PredictionError)
}

/// The default generator: converts each value straight into the caller's buffer and keeps nothing.
public struct InPlaceFeatureGenerator: FeatureGenerator {
    /// The stateless default generator.
    public init() {}

    public func generateFeatures(
        rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]
    ) throws(PredictionError) {
        try pipeline.generateFeatures(rows: rows, into: &buffer)
    }
}
