import Foundation
import Testing
@testable import AnalyzerCore

/// The reference datasets in Tests/Fixtures with scikit-learn's split and scores.
enum MLFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func table(_ name: String) throws -> Table {
        try CSVDataset.load(contentsOf: directory.appendingPathComponent("\(name).csv")).table
    }

    static func testIndices(_ name: String) throws -> [Int] {
        struct Split: Decodable { let test_indices: [Int] }
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).split.json"))
        return try JSONDecoder().decode(Split.self, from: data).test_indices
    }

    /// scikit-learn's score (accuracy or R²) of `model` on `dataset`.
    static func reference(_ dataset: String, _ model: String) throws -> Double {
        let text = try String(contentsOf: directory.appendingPathComponent("reference_scores.csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let row = try #require(lines.first { $0.count > 2 && $0[0] == dataset && $0[2] == model })
        let column = try #require(header.firstIndex(of: row[1] == "classification" ? "accuracy" : "r2"))
        return try #require(Double(row[column]))
    }
}

@Suite struct TrainingQualityTests {
    /// Score of `algorithm` on the fixture split.
    private func score(_ dataset: String, _ algorithm: Algorithm) throws -> (Double, TrainingResult) {
        let table = try MLFixtures.table(dataset)
        let config = TrainingConfig(target: "target", algorithm: algorithm, testIndices: try MLFixtures.testIndices(dataset))
        let result = try Trainer.train(table: table, config: config)
        let score = try #require(result.evaluation.primaryScore)
        return (score, result)
    }

    @Test func irisSplitMatchesReference() throws {
        let table = try MLFixtures.table("iris")
        #expect(table.rowCount == 150)
        let (_, result) = try score("iris", .decisionTree)
        #expect(result.trainRows == 120 && result.testRows == 30)
        #expect(result.model.classes == ["setosa", "versicolor", "virginica"])
    }

    @Test func irisLogisticRegression() throws {
        let (s, _) = try score("iris", .logisticRegression)
        #expect(s >= (try MLFixtures.reference("iris", "LogisticRegression")) - 0.02)
    }

    @Test func irisRandomForest() throws {
        let (s, r) = try score("iris", .randomForest)
        #expect(s >= (try MLFixtures.reference("iris", "RandomForest")) - 0.03)
        let m = try #require(r.evaluation.classification)
        #expect(m.macroF1 >= 0.85)
    }

    @Test func irisDecisionTree() throws {
        let (s, _) = try score("iris", .decisionTree)
        #expect(s >= 0.85)
    }

    @Test func diabetesLinearRegression() throws {
        let (s, r) = try score("diabetes", .linearRegression)
        #expect(s >= (try MLFixtures.reference("diabetes", "LinearRegression")) - 0.02)
        #expect(r.trainRows == 353 && r.testRows == 89)
        // OLS is unique here: the scores should agree with scikit-learn to many digits.
        #expect(abs(s - (try MLFixtures.reference("diabetes", "LinearRegression"))) < 1e-5)
    }

    @Test func diabetesRidge() throws {
        let (s, _) = try score("diabetes", .ridge)
        #expect(s >= (try MLFixtures.reference("diabetes", "Ridge")) - 0.02)
        #expect(abs(s - (try MLFixtures.reference("diabetes", "Ridge"))) < 1e-5)
    }

    @Test func diabetesRandomForest() throws {
        let (s, _) = try score("diabetes", .randomForest)
        #expect(s >= (try MLFixtures.reference("diabetes", "RandomForest")) - 0.03)
    }

    @Test func diabetesDecisionTree() throws {
        let (s, _) = try score("diabetes", .decisionTree)
        #expect(s > -0.5)
    }
}
