/// The PSI of one feature: the live window against the training reference, bin by bin.
public struct FeatureDrift: Sendable, Equatable, Codable {
    /// The input column.
    public let feature: String
    /// `numeric` or `categorical`.
    public let kind: String
    /// PSI (with ``PSI/smallSample(expected:actual:)`` when the training sample has fewer than
    /// ``PSI/smallSampleRows`` rows); nil while the live side has no value.
    public let psi: Double?
    /// The verdict for ``psi``.
    public let verdict: DriftVerdict
    /// Training rows with a value.
    public let expectedTotal: Int
    /// Live rows with a value.
    public let actualTotal: Int
    /// The bins: numeric quantile bins in order, or the sorted union of training and live categories.
    public let bins: [DriftBin]

    enum CodingKeys: String, CodingKey {
        case feature, kind, psi, verdict, bins
        case expectedTotal = "expected_total", actualTotal = "actual_total"
    }

    /// Compares `actualCounts` (one per reference bin) plus `unseen` live categories (categorical
    /// features only; category → count) with `reference`.
    public init(reference: FeatureReference, actualCounts: [Int], unseen: [(String, Int)], epsilon: Double = PSI.epsilon) {
        precondition(actualCounts.count == reference.expectedCounts.count, "FeatureDrift: bin counts do not match the reference")
        let expectedTotal = reference.expectedTotal
        var expected: [Int]
        var actual: [Int]
        var bins: [DriftBin] = []
        switch reference.bins {
        case .numeric(let edges):
            expected = reference.expectedCounts
            actual = actualCounts
            let total = actual.reduce(0, +)
            for i in 0...edges.count {
                let lower = i == 0 ? nil : edges[i - 1]
                let upper = i == edges.count ? nil : edges[i]
                let label = "(\(lower.map(Self.format) ?? "-inf"), \(upper.map(Self.format) ?? "+inf")\(upper == nil ? ")" : "]")"
                bins.append(DriftBin(
                    label: label, lower: lower, upper: upper, expectedCount: expected[i], actualCount: actual[i],
                    expectedTotal: expectedTotal, actualTotal: total))
            }
            kind = "numeric"
        case .categorical(let categories):
            // The sorted union of training and live categories; unseen ones have no training count.
            var merged: [(category: String, expected: Int, actual: Int)] = zip(categories, zip(reference.expectedCounts, actualCounts))
                .map { ($0.0, $0.1.0, $0.1.1) }
            let known = Set(categories)
            for (category, count) in unseen where count > 0 && !known.contains(category) { merged.append((category, 0, count)) }
            merged.sort { $0.category < $1.category }
            expected = merged.map(\.expected)
            actual = merged.map(\.actual)
            let total = actual.reduce(0, +)
            bins = merged.map {
                DriftBin(
                    label: $0.category, category: $0.category, expectedCount: $0.expected, actualCount: $0.actual,
                    expectedTotal: expectedTotal, actualTotal: total)
            }
            kind = "categorical"
        }
        feature = reference.name
        self.expectedTotal = expectedTotal
        actualTotal = actual.reduce(0, +)
        // A small training sample gets the small-sample correction; larger ones the plain formula.
        let value = expectedTotal < PSI.smallSampleRows
            ? PSI.smallSample(expected: expected, actual: actual) : PSI.value(expected: expected, actual: actual, epsilon: epsilon)
        psi = value.isNaN ? nil : value
        verdict = DriftVerdict(psi: psi)
        self.bins = bins
    }

    private static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}
