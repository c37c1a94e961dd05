import Foundation
import Testing
@testable import AnalyzerCore

/// `rows` rows: numeric `a`, categorical `g`, integer `k` (0/1/2), real `r`, string class `label`.
private func sampleTable(rows: Int = 60) -> Table {
    var rng = DeterministicRNG(seed: 99)
    var a: [Double] = [], g: [String?] = [], k: [Double] = [], r: [Double] = [], label: [String?] = []
    for i in 0..<rows {
        let u = Double(rng.next() >> 11) * 0x1p-53
        a.append(u * 10)
        g.append(["x", "y", "z"][i % 3])
        k.append(Double(i % 3))
        r.append(u * 3 + Double(i % 3))
        label.append(u < 0.5 ? "lo" : "hi")
    }
    return Table(
        columns: [
            Column(name: "a", type: .numeric, data: .numbers(a)),
            Column(name: "g", type: .categorical, data: .strings(g)),
            Column(name: "k", type: .integer, data: .numbers(k)),
            Column(name: "r", type: .numeric, data: .numbers(r)),
            Column(name: "label", type: .categorical, data: .strings(label)),
        ],
        rowCount: rows)
}

private func trainingError(_ table: Table, _ config: TrainingConfig) -> TrainingError? {
    do {
        _ = try Trainer.train(table: table, config: config)
        return nil
    } catch {
        return error
    }
}

@Suite struct TrainingTests {
    @Test func trainsAndEvaluatesClassification() throws {
        let result = try Trainer.train(table: sampleTable(), config: TrainingConfig(target: "label", algorithm: .logisticRegression))
        #expect(result.model.task == .classification)
        #expect(result.model.classes == ["hi", "lo"])
        #expect(result.trainRows == 48 && result.testRows == 12)
        #expect(result.testIndices.count == 12 && result.testIndices == result.testIndices.sorted())
        let metrics = try #require(result.evaluation.classification)
        #expect(result.evaluation.regression == nil)
        #expect(metrics.count == 12)
        // `a` decides the label exactly, so a linear model gets nearly everything right.
        #expect(metrics.accuracy >= 0.9)
        #expect(result.durationSeconds > 0)
        #expect(result.model.featureColumns.map(\.name) == ["a", "g", "k", "r"])
    }

    @Test func autoTaskFromTargetColumn() throws {
        let table = sampleTable()
        // Real-valued target → regression.
        var r = try Trainer.train(table: table, config: TrainingConfig(target: "r", algorithm: .linearRegression))
        #expect(r.model.task == .regression && r.evaluation.regression != nil)
        // Integer target with 3 values → classification, labels as integers.
        r = try Trainer.train(table: table, config: TrainingConfig(target: "k", algorithm: .decisionTree))
        #expect(r.model.task == .classification && r.model.classes == ["0", "1", "2"])
        // Integer target with more than 20 values → regression.
        var wide = table
        wide.columns.append(Column(name: "id", type: .integer, data: .numbers((0..<60).map(Double.init))))
        r = try Trainer.train(table: wide, config: TrainingConfig(target: "id", algorithm: .ridge))
        #expect(r.model.task == .regression)
        // ...unless classification is asked for.
        r = try Trainer.train(table: wide, config: TrainingConfig(target: "k", task: .classification, algorithm: .randomForest, params: ["n_estimators": .int(5)]))
        #expect(r.model.task == .classification)
        // Boolean target: "true"/"false" classes.
        let flags = Table(
            columns: [
                Column(name: "v", type: .numeric, data: .numbers((0..<20).map { Double($0) })),
                Column(name: "b", type: .boolean, data: .strings((0..<20).map { $0 < 10 ? "false" : "true" })),
            ], rowCount: 20)
        r = try Trainer.train(table: flags, config: TrainingConfig(target: "b", algorithm: .logisticRegression))
        #expect(r.model.classes == ["false", "true"])
    }

    @Test func stratifiedSplitIsSeededAndProportional() throws {
        let table = sampleTable(rows: 100)
        let config = TrainingConfig(target: "g", algorithm: .decisionTree, seed: 3)
        let a = try Trainer.train(table: table, config: config)
        let b = try Trainer.train(table: table, config: config)
        #expect(a.testIndices == b.testIndices)
        var other = config
        other.seed = 4
        #expect(try Trainer.train(table: table, config: other).testIndices != a.testIndices)
        // 34/33/33 rows per class, 20 test rows: 7/7/6 (largest remainder goes to the first class).
        let classes = a.testIndices.map { ["x", "y", "z"][$0 % 3] }
        #expect(classes.filter { $0 == "x" }.count == 7)
        #expect(classes.filter { $0 == "y" }.count == 7)
        #expect(classes.filter { $0 == "z" }.count == 6)
    }

    @Test func explicitTestIndicesAndMissingTargets() throws {
        var table = sampleTable(rows: 30)
        var label = table.columns[4]
        guard case .strings(var values) = label.data else { Issue.record("the label column should hold strings"); return }
        values[0] = nil
        values[5] = nil
        label.data = .strings(values)
        table.columns[4] = label
        let r = try Trainer.train(
            table: table, config: TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: [1, 2, 3, 5]))
        // Row 5 has no target: in neither split.
        #expect(r.testIndices == [1, 2, 3])
        #expect(r.trainRows == 25)
    }

    @Test func everyTrainingError() throws {
        let table = sampleTable()
        func code(_ config: TrainingConfig, _ t: Table? = nil) -> TrainingError.Code? { trainingError(t ?? table, config)?.code }

        let unknown = trainingError(table, TrainingConfig(target: "nope", algorithm: .ridge))
        #expect(unknown?.code == .unknownTarget)
        #expect(unknown?.message.contains("'nope'") == true)

        var single = table
        single.columns[4].data = .strings([String?](repeating: "same", count: 60))
        let singleError = trainingError(single, TrainingConfig(target: "label", algorithm: .decisionTree))
        #expect(singleError?.code == .singleClass)
        #expect(singleError?.message.contains("'label'") == true)

        var missing = table
        missing.columns[3].data = .numbers([Double](repeating: .nan, count: 60))
        #expect(code(TrainingConfig(target: "r", algorithm: .ridge), missing) == .targetAllMissing)
        let empty = Table(
            columns: [Column(name: "x", type: .numeric, data: .numbers([1, 2])), Column(name: "t", type: .empty, data: .strings([nil, nil]))],
            rowCount: 2)
        #expect(code(TrainingConfig(target: "t", algorithm: .decisionTree), empty) == .targetAllMissing)

        #expect(throws: TrainingError(.unknownAlgorithm, "unknown algorithm 'svm'; known: logistic_regression, linear_regression, ridge, decision_tree, random_forest")) {
            try Algorithm.named("svm")
        }
        let json = #"{"target": "label", "algorithm": "xgboost"}"#
        do {
            _ = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
            Issue.record("decoding should fail")
        } catch let error as TrainingError {
            #expect(error.code == .unknownAlgorithm)
            #expect(error.message.contains("'xgboost'"))
        }

        let unknownParam = trainingError(table, TrainingConfig(target: "label", algorithm: .randomForest, params: ["depth": .int(3)]))
        #expect(unknownParam?.code == .unknownParameter)
        #expect(unknownParam?.message.contains("'depth'") == true)
        let invalid = trainingError(table, TrainingConfig(target: "label", algorithm: .randomForest, params: ["max_depth": .int(-2)]))
        #expect(invalid?.code == .invalidParameter)
        #expect(invalid?.message.contains("'max_depth'") == true)
        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testFraction: 1.5)) == .invalidParameter)

        #expect(code(TrainingConfig(target: "label", algorithm: .linearRegression)) == .taskMismatch)
        #expect(code(TrainingConfig(target: "label", algorithm: .ridge)) == .taskMismatch)
        #expect(code(TrainingConfig(target: "r", algorithm: .logisticRegression)) == .taskMismatch)
        #expect(code(TrainingConfig(target: "label", task: .regression, algorithm: .decisionTree)) == .taskMismatch)

        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: [60])) == .invalidTestIndices)
        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: [-1])) == .invalidTestIndices)
        let duplicate = trainingError(table, TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: [3, 3]))
        #expect(duplicate?.code == .invalidTestIndices)
        #expect(duplicate?.message.contains("3") == true)
        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: Array(0..<60))) == .invalidTestIndices)
        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: [])) == .invalidTestIndices)
        // Training rows reduced to one class by the chosen test rows.
        let lo = (0..<60).filter { i in
            if case .strings(let s) = table.columns[4].data { return s[i] == "lo" }
            return false
        }
        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree, testIndices: lo)) == .singleClass)

        #expect(code(TrainingConfig(target: "label", algorithm: .decisionTree), table.rows([0, 1, 2, 3])) == .tooFewRows)
    }

    @Test func configJSONUsesSnakeCase() throws {
        let json = #"{"target": "y", "task": "regression", "algorithm": "random_forest", "params": {"n_estimators": 10, "max_features": "sqrt", "bootstrap": false, "max_depth": null, "C": 0.5}, "test_fraction": 0.25, "seed": 7, "test_indices": [1, 2]}"#
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        #expect(c.task == .regression && c.algorithm == .randomForest && c.testFraction == 0.25 && c.seed == 7)
        #expect(c.testIndices == [1, 2])
        #expect(c.params["n_estimators"] == .int(10))
        #expect(c.params["max_features"] == .string("sqrt"))
        #expect(c.params["bootstrap"] == .bool(false))
        #expect(c.params["max_depth"] == .null)
        #expect(c.params["C"] == .number(0.5))
        let minimal = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"target": "y", "algorithm": "ridge"}"#.utf8))
        #expect(minimal == TrainingConfig(target: "y", algorithm: .ridge))
        let encoded = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(encoded.contains("\"test_fraction\"") && encoded.contains("\"test_indices\""))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: Data(encoded.utf8)) == c)
    }
}
