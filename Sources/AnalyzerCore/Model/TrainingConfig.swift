/// What to train: target, task, algorithm and hyper-parameters, and how to split the rows.
///
/// JSON keys are snake_case (`test_fraction`, `test_indices`); an unknown algorithm name decodes
/// as a ``TrainingError`` with code `unknown_algorithm`.
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// Target column.
    public var target: String
    /// Task; `.auto` infers it from the target column.
    public var task: TaskChoice
    /// Learning algorithm.
    public var algorithm: Algorithm
    /// Hyper-parameters (see ``Trainer/parameterNames(for:)``); defaults follow scikit-learn.
    public var params: [String: ParamValue]
    /// Share of rows held out for evaluation, in (0, 1); the count is rounded up.
    public var testFraction: Double
    /// Seed of the split and of randomised learners (unless `params["seed"]` is given).
    public var seed: UInt64
    /// Explicit test rows (0-based table row indices); overrides `testFraction` and `seed` for the split.
    public var testIndices: [Int]?

    /// A configuration with scikit-learn-like defaults.
    public init(
        target: String, task: TaskChoice = .auto, algorithm: Algorithm, params: [String: ParamValue] = [:],
        testFraction: Double = 0.2, seed: UInt64 = 42, testIndices: [Int]? = nil
    ) {
        self.target = target
        self.task = task
        self.algorithm = algorithm
        self.params = params
        self.testFraction = testFraction
        self.seed = seed
        self.testIndices = testIndices
    }

    enum CodingKeys: String, CodingKey {
        case target, task, algorithm, params, seed
        case testFraction = "test_fraction"
        case testIndices = "test_indices"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            target: try c.decode(String.self, forKey: .target),
            task: try c.decodeIfPresent(TaskChoice.self, forKey: .task) ?? .auto,
            algorithm: try Algorithm.named(try c.decode(String.self, forKey: .algorithm)),
            params: try c.decodeIfPresent([String: ParamValue].self, forKey: .params) ?? [:],
            testFraction: try c.decodeIfPresent(Double.self, forKey: .testFraction) ?? 0.2,
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 42,
            testIndices: try c.decodeIfPresent([Int].self, forKey: .testIndices))
    }
}
