/// A trained model with its test-set evaluation.
public struct TrainingResult: Sendable {
    /// The model, ready to predict and to serialise.
    public let model: TrainedModel
    /// Scores on the test rows.
    public let evaluation: Evaluation
    /// Number of training rows.
    public let trainRows: Int
    /// Number of test rows.
    public let testRows: Int
    /// The test rows (0-based table row indices, ascending): pass them back as
    /// `TrainingConfig.testIndices` to reproduce the split.
    public let testIndices: [Int]
    /// Wall-clock time of the whole training call, in seconds.
    public let durationSeconds: Double
}
