/// Classification scores on a test set, as scikit-learn computes them (zero division gives 0).
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    /// Share of correct predictions.
    public let accuracy: Double
    /// Unweighted mean of the per-class F1 scores.
    public let macroF1: Double
    /// Per-class F1 scores weighted by support.
    public let weightedF1: Double
    /// The labels of ``perClass`` and of the confusion matrix: classes that occur in the truth or
    /// the predictions, sorted (see ``LabelOrder``).
    public let labels: [String]
    /// Scores per label, in ``labels`` order.
    public let perClass: [ClassMetrics]
    /// Counts: row = true label, column = predicted label, both in ``labels`` order.
    public let confusionMatrix: [[Int]]
    /// Number of rows scored.
    public let count: Int

    enum CodingKeys: String, CodingKey {
        case accuracy, labels, count
        case macroF1 = "macro_f1"
        case weightedF1 = "weighted_f1"
        case perClass = "per_class"
        case confusionMatrix = "confusion_matrix"
    }

    /// Scores `predicted` against `actual` (same length).
    public init(actual: [String], predicted: [String]) {
        precondition(actual.count == predicted.count, "ClassificationMetrics: length mismatch")
        let labels = LabelOrder.sorted(actual + predicted)
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let k = labels.count
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (a, p) in zip(actual, predicted) { matrix[index[a]!][index[p]!] += 1 }
        var correct = 0
        var perClass: [ClassMetrics] = []
        var macro = 0.0, weighted = 0.0
        for c in 0..<k {
            let tp = matrix[c][c]
            correct += tp
            let support = matrix[c].reduce(0, +)
            let predictedCount = matrix.reduce(0) { $0 + $1[c] }
            let precision = predictedCount == 0 ? 0 : Double(tp) / Double(predictedCount)
            let recall = support == 0 ? 0 : Double(tp) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perClass.append(ClassMetrics(label: labels[c], precision: precision, recall: recall, f1: f1, support: support))
            macro += f1
            weighted += f1 * Double(support)
        }
        let n = actual.count
        self.accuracy = n == 0 ? 0 : Double(correct) / Double(n)
        self.macroF1 = k == 0 ? 0 : macro / Double(k)
        self.weightedF1 = n == 0 ? 0 : weighted / Double(n)
        self.labels = labels
        self.perClass = perClass
        self.confusionMatrix = matrix
        self.count = n
    }
}
