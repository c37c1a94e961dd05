import Foundation

/// How many features a tree considers at each split (scikit-learn's `max_features`).
enum MaxFeatures: Sendable, Equatable {
    case all
    case sqrt
    case log2
    /// A share of the features, in (0, 1].
    case fraction(Double)
    /// A fixed count (capped at the number of features).
    case count(Int)

    /// The number of features to draw among `featureCount`, at least 1.
    func resolve(featureCount p: Int) -> Int {
        guard p > 0 else { return 0 }
        let k: Int
        switch self {
        case .all: k = p
        case .sqrt: k = Int(Double(p).squareRoot())
        case .log2: k = Int(Foundation.log2(Double(p)))
        case .fraction(let f): k = Int(f * Double(p))
        case .count(let c): k = c
        }
        return min(p, max(1, k))
    }

    /// The value as reported in a model's parameters.
    var parameter: ParamValue {
        switch self {
        case .all: .null
        case .sqrt: .string("sqrt")
        case .log2: .string("log2")
        case .fraction(let f): .number(f)
        case .count(let c): .int(c)
        }
    }
}
