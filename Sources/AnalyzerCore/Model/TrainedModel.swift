/// A trained model: the fitted `generate_features` pipeline plus the learner, with what the
/// service needs to validate input, render a prediction form and predict. Immutable and
/// thread-safe.
public final class TrainedModel: Sendable {
    /// Classification or regression.
    public let task: ModelTask
    /// The algorithm that produced ``learner``.
    public let algorithm: Algorithm
    /// The target column.
    public let target: String
    /// Class labels in output order (classification); empty for regression.
    public let classes: [String]
    /// Effective hyper-parameters, defaults included.
    public let parameters: [String: ParamValue]
    /// The fitted feature pipeline.
    public let pipeline: FeaturePipeline
    /// The fitted estimator.
    public let learner: Learner
    /// The training rows' input distribution (PSI drift reference); nil for artifacts written
    /// before drift monitoring (format version 1).
    public let reference: ReferenceDistribution?

    /// The input columns a prediction row must provide (name, type, categories).
    public var featureColumns: [FeatureColumn] { pipeline.columns }

    /// Assembles a model; throws when the parts do not fit together.
    init(
        task: ModelTask, algorithm: Algorithm, target: String, classes: [String],
        parameters: [String: ParamValue], pipeline: FeaturePipeline, learner: Learner,
        reference: ReferenceDistribution? = nil
    ) throws(ModelFormatError) {
        guard learner.featureCount == pipeline.width else {
            throw ModelFormatError("learner expects \(learner.featureCount) features, pipeline makes \(pipeline.width)")
        }
        let expectedOutputs = task == .classification ? classes.count : 1
        guard learner.outputWidth == expectedOutputs, task == .regression || classes.count >= 2 else {
            throw ModelFormatError("learner has \(learner.outputWidth) outputs for \(classes.count) classes")
        }
        self.task = task
        self.algorithm = algorithm
        self.target = target
        self.classes = classes
        self.parameters = parameters
        self.pipeline = pipeline
        self.learner = learner
        self.reference = reference
    }

    /// Predicts one row (a JSON object: column name → value). Throws ``PredictionError`` for the
    /// first missing, unknown, mistyped or non-finite field.
    public func predict(_ row: [String: FeatureValue]) throws(PredictionError) -> Prediction {
        let width = pipeline.width
        let outputs = learner.outputWidth
        var failure: PredictionError?
        let prediction = withUnsafeTemporaryAllocation(of: Double.self, capacity: width + outputs) { buffer -> Prediction? in
            let base = buffer.baseAddress!
            do throws(PredictionError) {
                try pipeline.encodeRow(row, index: nil, into: UnsafeMutableBufferPointer(start: base, count: width))
            } catch {
                failure = error
                return nil
            }
            learner.predict(base, into: base + width)
            return makePrediction(base + width)
        }
        if let failure { throw failure }
        return prediction!
    }

    /// Predicts a batch; errors name the row index. `generator` produces the feature matrix
    /// (the in-place `generate_features` unless another implementation is swapped in).
    public func predict(
        rows: [[String: FeatureValue]], using generator: any FeatureGenerator = InPlaceFeatureGenerator()
    ) throws(PredictionError) -> [Prediction] {
        var buffer: [Double] = []
        try generator.generateFeatures(rows: rows, pipeline: pipeline, into: &buffer)
        return predictions(for: FeatureMatrix(rows: rows.count, cols: pipeline.width, values: buffer))
    }

    /// Predicts every row of an already generated feature matrix (`cols == pipeline.width`).
    public func predictions(for matrix: FeatureMatrix) -> [Prediction] {
        precondition(matrix.cols == pipeline.width, "TrainedModel: matrix has \(matrix.cols) columns, expected \(pipeline.width)")
        let outputs = learner.predict(matrix: matrix)
        let width = learner.outputWidth
        return outputs.withUnsafeBufferPointer { o in
            (0..<matrix.rows).map { makePrediction(o.baseAddress! + $0 * width) }
        }
    }

    /// Predicted labels (classification) for a feature matrix, without building dictionaries.
    func predictedLabels(for matrix: FeatureMatrix) -> [String] {
        let outputs = learner.predict(matrix: matrix)
        let k = classes.count
        return (0..<matrix.rows).map { r in classes[Self.argmax(outputs, from: r * k, count: k)] }
    }

    /// Predicted values (regression) for a feature matrix.
    func predictedValues(for matrix: FeatureMatrix) -> [Double] { learner.predict(matrix: matrix) }

    private func makePrediction(_ outputs: UnsafePointer<Double>) -> Prediction {
        guard task == .classification else { return Prediction(value: outputs[0]) }
        var probabilities: [String: Double] = [:]
        probabilities.reserveCapacity(classes.count)
        var best = 0
        for k in 0..<classes.count {
            probabilities[classes[k]] = outputs[k]
            if outputs[k] > outputs[best] { best = k }
        }
        return Prediction(label: classes[best], probabilities: probabilities)
    }

    private static func argmax(_ v: [Double], from start: Int, count: Int) -> Int {
        var best = 0
        for k in 1..<max(count, 1) where v[start + k] > v[start + best] { best = k }
        return best
    }
}
