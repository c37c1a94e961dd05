/// How one input column is turned into model features.
public enum FeatureEncoding: Sendable, Equatable, Codable {
    /// One output: missing values take the training `median`, then `(x - mean) / scale`
    /// (mean and population standard deviation of the imputed training column; scale 1 when that is 0).
    case standardized(median: Double, mean: Double, scale: Double)
    /// One 0/1 output per level, in `levels` order (sorted training categories), then one for
    /// "missing" when `missingLevel` (missing values occurred in training). A category not seen in
    /// training, or a missing value when there is no missing level, encodes as all zeros.
    /// Indicators are not standardised.
    case oneHot(levels: [String], missingLevel: Bool)

    /// Number of output features.
    public var width: Int {
        switch self {
        case .standardized: 1
        case .oneHot(let levels, let missing): levels.count + (missing ? 1 : 0)
        }
    }
}
