import AnalyzerCore
import AnalyzerStore

/// Rolling live scores of a model over its last N labelled predictions (feedback), beside the
/// held-out test-set scores.
struct LiveQualityReport: Encodable, Sendable {
    let model: String
    let task: String
    /// N: labelled predictions the scores cover at most.
    let window: Int
    /// Labelled predictions in the window now.
    let labelled: Int
    /// Classification: share of correct predictions, macro F1.
    let accuracy: Double?
    let f1: Double?
    /// Regression: mean absolute error, R².
    let mae: Double?
    let r2: Double?
    /// The held-out test-set scores, for comparison.
    let test: Evaluation?

    enum CodingKeys: String, CodingKey {
        case model, task, window, labelled, accuracy, mae, r2, test
        case f1 = "f1_score"
    }

    /// Scores `records` (newest first, at most `window` of them) of a model.
    init(model: String, task: String, window: Int, records: [FeedbackRecord], test: Evaluation?) {
        self.model = model
        self.task = task
        self.window = window
        self.test = test
        let recent = records.prefix(window)
        if task == ModelTask.classification.rawValue {
            let pairs = recent.compactMap { r -> (String, String)? in
                guard let truth = r.label, let predicted = r.predictedLabel else { return nil }
                return (truth, predicted)
            }
            labelled = pairs.count
            if pairs.isEmpty {
                accuracy = nil
                f1 = nil
            } else {
                let metrics = ClassificationMetrics(actual: pairs.map(\.0), predicted: pairs.map(\.1))
                accuracy = metrics.accuracy
                f1 = metrics.macroF1
            }
            mae = nil
            r2 = nil
        } else {
            let pairs = recent.compactMap { r -> (Double, Double)? in
                guard let truth = r.value, let predicted = r.predictedValue else { return nil }
                return (truth, predicted)
            }
            labelled = pairs.count
            if pairs.isEmpty {
                mae = nil
                r2 = nil
            } else {
                let metrics = RegressionMetrics(actual: pairs.map(\.0), predicted: pairs.map(\.1))
                mae = metrics.mae
                r2 = metrics.r2
            }
            accuracy = nil
            f1 = nil
        }
    }
}
