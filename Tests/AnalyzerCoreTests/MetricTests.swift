import Foundation
import Testing
@testable import AnalyzerCore

@Suite struct MetricTests {
    @Test func classificationByHand() {
        let m = ClassificationMetrics(actual: ["a", "a", "b", "b", "c"], predicted: ["a", "b", "b", "b", "a"])
        #expect(m.labels == ["a", "b", "c"])
        #expect(m.confusionMatrix == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        #expect(abs(m.accuracy - 0.6) < 1e-12)
        let a = m.perClass[0], b = m.perClass[1], c = m.perClass[2]
        #expect(a.precision == 0.5 && a.recall == 0.5 && a.f1 == 0.5 && a.support == 2)
        #expect(abs(b.precision - 2.0 / 3) < 1e-12 && b.recall == 1 && abs(b.f1 - 0.8) < 1e-12)
        // Never predicted: precision 0 by the zero-division rule, so F1 0.
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0 && c.support == 1)
        #expect(abs(m.macroF1 - 1.3 / 3) < 1e-12)
        #expect(abs(m.weightedF1 - 0.52) < 1e-12)
        #expect(m.count == 5)
    }

    @Test func labelsOnlyPredictedHaveZeroSupport() {
        let m = ClassificationMetrics(actual: ["x", "x"], predicted: ["x", "y"])
        #expect(m.labels == ["x", "y"])
        #expect(m.perClass[1].support == 0)
        #expect(m.perClass[1].recall == 0)
        #expect(m.perClass[1].precision == 0)
        #expect(abs(m.perClass[0].f1 - 2.0 / 3) < 1e-12)
        #expect(abs(m.macroF1 - 1.0 / 3) < 1e-12)
        #expect(abs(m.weightedF1 - 2.0 / 3) < 1e-12)
    }

    @Test func numericLabelsSortNumerically() {
        let m = ClassificationMetrics(actual: ["10", "2", "1"], predicted: ["10", "2", "1"])
        #expect(m.labels == ["1", "2", "10"])
        #expect(m.accuracy == 1 && m.macroF1 == 1)
    }

    @Test func regressionByHand() {
        // scikit-learn's documentation example.
        let m = RegressionMetrics(actual: [3, -0.5, 2, 7], predicted: [2.5, 0.0, 2, 8])
        #expect(abs(m.r2 - 0.9486081370449679) < 1e-12)
        #expect(abs(m.mae - 0.5) < 1e-12)
        #expect(abs(m.rmse - 0.375.squareRoot()) < 1e-12)
    }

    @Test func r2WithConstantTruth() {
        #expect(RegressionMetrics(actual: [2, 2], predicted: [2, 2]).r2 == 1)
        #expect(RegressionMetrics(actual: [2, 2], predicted: [1, 2]).r2 == 0)
        #expect(RegressionMetrics(actual: [1, 2, 3], predicted: [2, 2, 2]).r2 == 0)
    }

    @Test func evaluationJSONIsSnakeCase() throws {
        let e = Evaluation(classification: ClassificationMetrics(actual: ["a", "b"], predicted: ["a", "a"]))
        let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        for key in ["\"macro_f1\"", "\"weighted_f1\"", "\"per_class\"", "\"confusion_matrix\"", "\"accuracy\""] {
            #expect(json.contains(key))
        }
        #expect(try JSONDecoder().decode(Evaluation.self, from: Data(json.utf8)) == e)
        #expect(e.primaryScore == 0.5)
    }
}
