/// The fitted estimator behind a ``TrainedModel``.
public enum Learner: Sendable, Equatable {
    /// `logistic_regression`.
    case logisticRegression(LogisticRegressionModel)
    /// `linear_regression` and `ridge`.
    case linear(LinearModel)
    /// `decision_tree`.
    case decisionTree(DecisionTree)
    /// `random_forest`.
    case randomForest(RandomForest)

    /// Number of input features.
    public var featureCount: Int {
        switch self {
        case .logisticRegression(let m): m.featureCount
        case .linear(let m): m.coefficients.count
        case .decisionTree(let t): t.featureCount
        case .randomForest(let f): f.featureCount
        }
    }

    /// Number of outputs: class probabilities, or 1 value for regression.
    public var outputWidth: Int {
        switch self {
        case .logisticRegression(let m): m.classCount
        case .linear: 1
        case .decisionTree(let t): t.valueWidth
        case .randomForest(let f): f.valueWidth
        }
    }

    /// Writes the outputs for the features at `x` into `out` (``outputWidth`` values).
    @inline(__always)
    func predict(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        switch self {
        case .logisticRegression(let m): m.probabilities(x, into: out)
        case .linear(let m): out[0] = m.predict(x)
        case .decisionTree(let t): t.predict(x, into: out)
        case .randomForest(let f): f.predict(x, into: out)
        }
    }

    /// Outputs for every row of `x` (`x.rows × outputWidth`, row-major); forests use all cores.
    func predict(matrix x: FeatureMatrix) -> [Double] {
        if case .randomForest(let forest) = self { return forest.predict(matrix: x) }
        let width = outputWidth
        var out = [Double](repeating: 0, count: x.rows * width)
        x.values.withUnsafeBufferPointer { xv in
            out.withUnsafeMutableBufferPointer { o in
                guard let xb = xv.baseAddress, let ob = o.baseAddress else { return }
                for r in 0..<x.rows { predict(xb + r * x.cols, into: ob + r * width) }
            }
        }
        return out
    }

    /// Fits `settings.algorithm` on `x`.
    static func fit(x: FeatureMatrix, target: LearnerTarget, settings: LearnerSettings) -> Learner {
        switch (settings.algorithm, target) {
        case (.logisticRegression, .classes(let labels, let count)):
            return .logisticRegression(LogisticRegressionModel.fit(
                x: x, labels: labels, classCount: count, c: settings.c, maxIterations: settings.maxIterations,
                tolerance: settings.tolerance))
        case (.linearRegression, .values(let y)):
            return .linear(LinearModel.fit(x: x, y: y, alpha: 0))
        case (.ridge, .values(let y)):
            return .linear(LinearModel.fit(x: x, y: y, alpha: settings.alpha))
        case (.decisionTree, _), (.randomForest, _):
            let data: TreeTrainingData
            switch target {
            case .classes(let labels, let count): data = TreeTrainingData(features: x, labels: labels, classCount: count)
            case .values(let y): data = TreeTrainingData(features: x, values: y)
            }
            let tree = TreeSettings(
                maxDepth: settings.maxDepth ?? .max, minSamplesSplit: settings.minSamplesSplit,
                minSamplesLeaf: settings.minSamplesLeaf, maxFeatures: settings.maxFeatures.resolve(featureCount: x.cols))
            if settings.algorithm == .decisionTree {
                var rng = DeterministicRNG(seed: settings.seed, stream: 0)
                return .decisionTree(TreeGrower(data: data, settings: tree, weights: nil).grow(rng: &rng))
            }
            return .randomForest(RandomForest.fit(
                data: data, count: settings.estimators, bootstrap: settings.bootstrap, settings: tree, seed: settings.seed))
        default:
            preconditionFailure("Learner.fit: \(settings.algorithm.rawValue) does not match the target kind")
        }
    }
}

/// The training target in learner form.
enum LearnerTarget {
    /// Class indices in `0..<count`.
    case classes([Int32], count: Int)
    /// Real values.
    case values([Double])
}
