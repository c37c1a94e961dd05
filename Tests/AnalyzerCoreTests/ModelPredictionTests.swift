import Foundation
import Testing
@testable import AnalyzerCore

@Suite struct ModelPredictionTests {
    private func irisModel(_ algorithm: Algorithm) throws -> TrainedModel {
        try Trainer.train(table: try MLFixtures.table("iris"), config: TrainingConfig(target: "target", algorithm: algorithm)).model
    }

    private let flower: [String: FeatureValue] = [
        "sepal length (cm)": .number(6.9), "sepal width (cm)": .number(3.1),
        "petal length (cm)": .number(5.4), "petal width (cm)": .number(2.1),
    ]

    @Test(arguments: [Algorithm.logisticRegression, .decisionTree, .randomForest])
    func singleRowPrediction(algorithm: Algorithm) throws {
        let model = try irisModel(algorithm)
        let p = try model.predict(flower)
        #expect(p.label == "virginica")
        let probabilities = try #require(p.probabilities)
        #expect(Set(probabilities.keys) == ["setosa", "versicolor", "virginica"])
        #expect(abs(probabilities.values.reduce(0, +) - 1) < 1e-9)
        #expect(p.value == nil)
        // Batch and single agree; CSV-style strings give the same answer.
        var asText = flower
        for (k, v) in flower { if case .number(let x) = v { asText[k] = .string(String(x)) } }
        let batch = try model.predict(rows: [flower, asText])
        #expect(batch == [p, p])
    }

    @Test func regressionPrediction() throws {
        let table = try MLFixtures.table("diabetes")
        let result = try Trainer.train(table: table, config: TrainingConfig(target: "target", algorithm: .ridge))
        var row: [String: FeatureValue] = [:]
        for column in result.model.featureColumns { row[column.name] = .number(0) }
        let p = try result.model.predict(row)
        #expect(p.label == nil && p.probabilities == nil)
        let value = try #require(p.value)
        // All-zero inputs are close to the feature means: the prediction is near the mean target.
        #expect(value > 100 && value < 200)
        #expect(result.model.featureColumns.allSatisfy { $0.type == .numeric && $0.levels == nil })
    }

    @Test func predictionErrorsCarryRowIndex() throws {
        let model = try irisModel(.logisticRegression)
        var bad = flower
        bad["petal width (cm)"] = .string("wide")
        #expect(throws: PredictionError.self) { try model.predict(bad) }
        do {
            _ = try model.predict(rows: [flower, flower, bad])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidType)
            #expect(error.row == 2)
            #expect(error.field == "petal width (cm)")
        }
        var extra = flower
        extra["colour"] = .string("blue")
        do {
            _ = try model.predict(extra)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownField)
            #expect(error.row == nil)
        }
        // The target may be present (CSV batches often carry it).
        var withTarget = flower
        withTarget["target"] = .string("setosa")
        #expect(try model.predict(withTarget).label == "virginica")
    }

    @Test func anotherGeneratorCanBeSwappedIn() throws {
        /// Counts calls and delegates: stands in for the service's legacy implementation.
        final class CountingGenerator: FeatureGenerator, @unchecked Sendable {
            var calls = 0
            func generateFeatures(rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]) throws(PredictionError) {
                calls += 1
                try pipeline.generateFeatures(rows: rows, into: &buffer)
            }
        }
        let model = try irisModel(.randomForest)
        let generator = CountingGenerator()
        let p = try model.predict(rows: [flower], using: generator)
        #expect(generator.calls == 1)
        #expect(p == [try model.predict(flower)])
    }

    @Test func sameSeedSameForest() throws {
        let table = try MLFixtures.table("iris")
        let config = TrainingConfig(target: "target", algorithm: .randomForest, seed: 17)
        let a = try Trainer.train(table: table, config: config).model
        let b = try Trainer.train(table: table, config: config).model
        #expect(a.learner == b.learner)
        #expect(try a.serialized() == b.serialized())
        var other = config
        other.params = ["seed": .int(18)]
        #expect(try Trainer.train(table: table, config: other).model.learner != a.learner)
    }
}
