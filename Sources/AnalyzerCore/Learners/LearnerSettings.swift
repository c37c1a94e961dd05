/// Validated hyper-parameters of one algorithm, scikit-learn defaults filled in.
struct LearnerSettings: Sendable, Equatable {
    var algorithm: Algorithm
    var task: ModelTask
    /// logistic_regression: inverse L2 strength, iteration cap, gradient tolerance.
    var c = 1.0
    var maxIterations = 1000
    var tolerance = 1e-4
    /// ridge: L2 strength.
    var alpha = 1.0
    /// Trees.
    var maxDepth: Int?
    var minSamplesSplit = 2
    var minSamplesLeaf = 1
    var maxFeatures: MaxFeatures = .all
    var estimators = 100
    var bootstrap = true
    var seed: UInt64

    /// Limits checked by validation.
    static let maxEstimators = 1000
    static let maxTreeDepth = 1000

    /// The parameter names `algorithm` accepts.
    static func parameterNames(for algorithm: Algorithm) -> [String] {
        switch algorithm {
        case .logisticRegression: ["C", "max_iter", "tol"]
        case .linearRegression: []
        case .ridge: ["alpha"]
        case .decisionTree: ["max_depth", "max_features", "min_samples_leaf", "min_samples_split", "seed"]
        case .randomForest:
            ["bootstrap", "max_depth", "max_features", "min_samples_leaf", "min_samples_split", "n_estimators", "seed"]
        }
    }

    /// Validates `params` for `algorithm` on `task` (which the caller has checked it supports).
    /// Parameters are checked in name order so the reported error is deterministic.
    static func resolve(
        algorithm: Algorithm, task: ModelTask, params: [String: ParamValue], defaultSeed: UInt64
    ) throws(TrainingError) -> LearnerSettings {
        var s = LearnerSettings(algorithm: algorithm, task: task, seed: defaultSeed)
        if algorithm == .randomForest && task == .classification { s.maxFeatures = .sqrt }
        let allowed = parameterNames(for: algorithm)
        for name in params.keys.sorted() {
            guard allowed.contains(name) else {
                let list = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
                throw TrainingError(
                    .unknownParameter, "unknown parameter '\(name)' for \(algorithm.rawValue); allowed: \(list)")
            }
        }
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            func invalid(_ expected: String) -> TrainingError {
                TrainingError(
                    .invalidParameter,
                    "parameter '\(name)' for \(algorithm.rawValue) must be \(expected), got \(value)")
            }
            switch name {
            case "C":
                guard let v = value.real, v > 0, v.isFinite else { throw invalid("a number > 0") }
                s.c = v
            case "max_iter":
                guard let v = value.integer, (1...100_000).contains(v) else { throw invalid("an integer in 1...100000") }
                s.maxIterations = v
            case "tol":
                guard let v = value.real, v > 0, v.isFinite else { throw invalid("a number > 0") }
                s.tolerance = v
            case "alpha":
                guard let v = value.real, v >= 0, v.isFinite else { throw invalid("a number >= 0") }
                s.alpha = v
            case "max_depth":
                if value == .null {
                    s.maxDepth = nil
                } else {
                    guard let v = value.integer, (1...maxTreeDepth).contains(v) else {
                        throw invalid("an integer in 1...\(maxTreeDepth) or null")
                    }
                    s.maxDepth = v
                }
            case "min_samples_split":
                guard let v = value.integer, v >= 2 else { throw invalid("an integer >= 2") }
                s.minSamplesSplit = v
            case "min_samples_leaf":
                guard let v = value.integer, v >= 1 else { throw invalid("an integer >= 1") }
                s.minSamplesLeaf = v
            case "max_features":
                let expected = "null (all features), \"sqrt\", \"log2\", an integer >= 1 or a number in (0, 1)"
                switch value {
                case .null: s.maxFeatures = .all
                case .string("sqrt"): s.maxFeatures = .sqrt
                case .string("log2"): s.maxFeatures = .log2
                case .int(let k):
                    guard k >= 1 else { throw invalid(expected) }
                    s.maxFeatures = .count(k)
                case .number(let f):
                    guard f > 0, f <= 1 else { throw invalid(expected) }
                    s.maxFeatures = f == 1 ? .all : .fraction(f)
                default: throw invalid(expected)
                }
            case "n_estimators":
                guard let v = value.integer, (1...maxEstimators).contains(v) else {
                    throw invalid("an integer in 1...\(maxEstimators)")
                }
                s.estimators = v
            case "bootstrap":
                guard case .bool(let b) = value else { throw invalid("true or false") }
                s.bootstrap = b
            case "seed":
                guard let v = value.integer, v >= 0 else { throw invalid("an integer >= 0") }
                s.seed = UInt64(v)
            default:
                break
            }
        }
        return s
    }

    /// The effective parameters (defaults filled in), as reported with the model.
    var parameters: [String: ParamValue] {
        var p: [String: ParamValue] = [:]
        switch algorithm {
        case .logisticRegression:
            p = ["C": .number(c), "max_iter": .int(maxIterations), "tol": .number(tolerance)]
        case .linearRegression:
            break
        case .ridge:
            p = ["alpha": .number(alpha)]
        case .decisionTree, .randomForest:
            p = [
                "max_depth": maxDepth.map { .int($0) } ?? .null,
                "max_features": maxFeatures.parameter,
                "min_samples_leaf": .int(minSamplesLeaf),
                "min_samples_split": .int(minSamplesSplit),
                "seed": seed <= UInt64(Int.max) ? .int(Int(seed)) : .number(Double(seed)),
            ]
            if algorithm == .randomForest {
                p["n_estimators"] = .int(estimators)
                p["bootstrap"] = .bool(bootstrap)
            }
        }
        return p
    }
}
