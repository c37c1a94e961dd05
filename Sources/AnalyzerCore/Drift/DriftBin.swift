/// One bin of a feature's drift report: its bounds or category, and both sides' counts and shares.
public struct DriftBin: Sendable, Equatable, Codable {
    /// Human label: `(-inf, 4.8]`, `(4.8, 5.2]`, `(6.9, +inf)` or the category.
    public let label: String
    /// Numeric bins: the lower edge (exclusive); nil for −∞ or a category.
    public let lower: Double?
    /// Numeric bins: the upper edge (inclusive); nil for +∞ or a category.
    public let upper: Double?
    /// Categorical bins: the category.
    public let category: String?
    /// Training rows in the bin.
    public let expectedCount: Int
    /// Live rows in the bin.
    public let actualCount: Int
    /// `expectedCount / expected total` (before the zero-share replacement).
    public let expectedShare: Double
    /// `actualCount / actual total` (before the zero-share replacement).
    public let actualShare: Double

    enum CodingKeys: String, CodingKey {
        case label, lower, upper, category
        case expectedCount = "expected_count", actualCount = "actual_count"
        case expectedShare = "expected_share", actualShare = "actual_share"
    }

    /// A bin with its counts; shares are computed from the totals (0 when a total is 0).
    public init(
        label: String, lower: Double? = nil, upper: Double? = nil, category: String? = nil, expectedCount: Int, actualCount: Int,
        expectedTotal: Int, actualTotal: Int
    ) {
        self.label = label
        self.lower = lower
        self.upper = upper
        self.category = category
        self.expectedCount = expectedCount
        self.actualCount = actualCount
        expectedShare = expectedTotal == 0 ? 0 : Double(expectedCount) / Double(expectedTotal)
        actualShare = actualTotal == 0 ? 0 : Double(actualCount) / Double(actualTotal)
    }
}
