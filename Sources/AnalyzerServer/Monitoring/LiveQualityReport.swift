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
        let classification = task == ModelTask.classification.rawValue
        let labels = Self.labelled(classification ? recent : [], \.label, \.predictedLabel)
        let values = Self.labelled(classification ? [] : recent, \.value, \.predictedValue)
        let classes = labels.actual.isEmpty ? nil : ClassificationMetrics(actual: labels.actual, predicted: labels.predicted)
        let errors = values.actual.isEmpty ? nil : RegressionMetrics(actual: values.actual, predicted: values.predicted)
        labelled = classification ? labels.actual.count : values.actual.count
        accuracy = classes?.accuracy
        f1 = classes?.macroF1
        mae = errors?.mae
        r2 = errors?.r2
    }

    /// The true and predicted values of the records that have both, in order.
    static func labelled<T>(
        _ records: ArraySlice<FeedbackRecord>, _ truth: KeyPath<FeedbackRecord, T?>, _ prediction: KeyPath<FeedbackRecord, T?>
    ) -> (actual: [T], predicted: [T]) {
        var actual: [T] = [], predicted: [T] = []
        for record in records {
            guard let t = record[keyPath: truth], let p = record[keyPath: prediction] else { continue }
            actual.append(t)
            predicted.append(p)
        }
        return (actual, predicted)
    }
}
