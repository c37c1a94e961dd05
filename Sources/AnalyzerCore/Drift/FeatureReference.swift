/// The training-time distribution of one input column, the "expected" side of PSI.
///
/// Numbers: 10 quantile bins of the training sample (see ``Quantile/innerDecileEdges(_:)``), outer
/// edges −∞ and +∞, right-closed (a value equal to an edge falls in the lower bin). Categories: the
/// training categories (sorted) with their counts. Missing values are left out of both.
public struct FeatureReference: Sendable, Equatable, Codable {
    /// How the column is binned.
    public enum Bins: Sendable, Equatable, Codable {
        /// Numeric column: the inner bin edges, ascending and distinct (bins = edges + 1).
        case numeric(innerEdges: [Double])
        /// Categorical column: the training categories, sorted.
        case categorical(categories: [String])
    }

    /// The input column's name.
    public let name: String
    /// The bins.
    public let bins: Bins
    /// Training rows per bin (numeric) or per category (categorical), missing values excluded.
    public let expectedCounts: [Int]

    /// A reference from already computed parts; `expectedCounts` must have one count per bin.
    public init(name: String, bins: Bins, expectedCounts: [Int]) {
        switch bins {
        case .numeric(let edges):
            precondition(expectedCounts.count == edges.count + 1, "FeatureReference: \(edges.count + 1) bins, \(expectedCounts.count) counts")
        case .categorical(let categories):
            precondition(expectedCounts.count == categories.count, "FeatureReference: \(categories.count) categories, \(expectedCounts.count) counts")
        }
        self.name = name
        self.bins = bins
        self.expectedCounts = expectedCounts
    }

    /// The reference of a numeric sample (NaN = missing, ignored).
    public static func numeric(name: String, sample: [Double]) -> FeatureReference {
        let edges = Quantile.innerDecileEdges(sample)
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for x in sample where !x.isNaN { counts[binIndex(x, edges: edges)] += 1 }
        return FeatureReference(name: name, bins: .numeric(innerEdges: edges), expectedCounts: counts)
    }

    /// The reference of a categorical sample (nil = missing, ignored).
    public static func categorical(name: String, sample: [String?]) -> FeatureReference {
        var counts: [String: Int] = [:]
        for value in sample { if let value { counts[value, default: 0] += 1 } }
        let categories = counts.keys.sorted()
        return FeatureReference(name: name, bins: .categorical(categories: categories), expectedCounts: categories.map { counts[$0]! })
    }

    /// Whether the column is numeric.
    public var isNumeric: Bool {
        if case .numeric = bins { return true }
        return false
    }

    /// Training rows with a value.
    public var expectedTotal: Int { expectedCounts.reduce(0, +) }

    /// The bin of `x` among `edges`: the first edge `x` does not exceed (right-closed), else the top bin.
    @inline(__always)
    public static func binIndex(_ x: Double, edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
