/// A model's drift: every feature's PSI of the live window against the training reference.
public struct DriftReport: Sendable, Equatable, Codable {
    /// Rows in the live window now.
    public let windowSize: Int
    /// Most rows the window keeps.
    public let windowCapacity: Int
    /// Oldest a row may be, in seconds (nil: no age limit).
    public let windowMaxAgeSeconds: Double?
    /// One entry per input column, in the model's column order.
    public let features: [FeatureDrift]
    /// The largest feature PSI (nil while the window is empty).
    public let maxPSI: Double?
    /// The verdict for ``maxPSI``.
    public let verdict: DriftVerdict

    enum CodingKeys: String, CodingKey {
        case features, verdict
        case windowSize = "window_size", windowCapacity = "window_capacity", windowMaxAgeSeconds = "window_max_age_seconds"
        case maxPSI = "psi_max"
    }

    /// A report over `features`; the maximum and verdict are derived.
    public init(windowSize: Int, windowCapacity: Int, windowMaxAgeSeconds: Double?, features: [FeatureDrift]) {
        self.windowSize = windowSize
        self.windowCapacity = windowCapacity
        self.windowMaxAgeSeconds = windowMaxAgeSeconds
        self.features = features
        maxPSI = features.compactMap(\.psi).max()
        verdict = DriftVerdict(psi: maxPSI)
    }
}
