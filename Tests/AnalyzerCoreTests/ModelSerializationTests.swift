import Foundation
import Testing
@testable import AnalyzerCore

@Suite struct ModelSerializationTests {
    /// A small table with numeric, categorical (with missing) and both kinds of target.
    private func table() -> Table {
        var rng = DeterministicRNG(seed: 5)
        var a: [Double] = [], b: [Double] = [], c: [String?] = [], cls: [String?] = [], y: [Double] = []
        for i in 0..<200 {
            let u = Double(rng.next() >> 11) * 0x1p-53, v = Double(rng.next() >> 11) * 0x1p-53
            a.append(i % 17 == 0 ? .nan : u * 4)
            b.append(v)
            c.append(i % 11 == 0 ? nil : ["n", "s", "e"][i % 3])
            cls.append(u + v > 1.2 ? "big" : (u > 0.5 ? "mid" : "small"))
            y.append(3 * u - 2 * v + (i % 3 == 0 ? 1 : 0))
        }
        return Table(
            columns: [
                Column(name: "a", type: .numeric, data: .numbers(a)),
                Column(name: "b", type: .numeric, data: .numbers(b)),
                Column(name: "c", type: .categorical, data: .strings(c)),
                Column(name: "cls", type: .categorical, data: .strings(cls)),
                Column(name: "y", type: .numeric, data: .numbers(y)),
            ], rowCount: 200)
    }

    private func rows(_ t: Table) -> [[String: FeatureValue]] {
        (0..<t.rowCount).map { r in
            var row: [String: FeatureValue] = [:]
            for column in t.columns where column.name != "cls" && column.name != "y" {
                switch column.data {
                case .numbers(let v): row[column.name] = v[r].isNaN ? .missing : .number(v[r])
                case .strings(let s): row[column.name] = s[r].map { .string($0) } ?? .missing
                }
            }
            return row
        }
    }

    @Test(arguments: [
        (Algorithm.logisticRegression, "cls"), (.decisionTree, "cls"), (.randomForest, "cls"),
        (.linearRegression, "y"), (.ridge, "y"), (.decisionTree, "y"), (.randomForest, "y"),
    ])
    func roundTripKeepsPredictions(algorithm: Algorithm, target: String) throws {
        let t = table()
        var t2 = t
        t2.columns.removeAll { $0.name == (target == "y" ? "cls" : "y") }
        let params: [String: ParamValue] = algorithm == .randomForest ? ["n_estimators": .int(20)] : [:]
        let model = try Trainer.train(table: t2, config: TrainingConfig(target: target, algorithm: algorithm, params: params)).model
        let data = try model.serialized()
        #expect(Array(data.prefix(8)) == Array("FDMODEL".utf8) + [0])
        let back = try TrainedModel.deserialize(data)
        #expect(back.task == model.task && back.algorithm == model.algorithm && back.target == model.target)
        #expect(back.classes == model.classes && back.parameters == model.parameters)
        #expect(back.pipeline == model.pipeline)
        #expect(back.learner == model.learner)
        let input = rows(t)
        let batch = try model.predict(rows: input)
        #expect(try back.predict(rows: input) == batch)
        // Batch and single-row predictions agree exactly.
        #expect(try input.map { try model.predict($0) } == batch)
        #expect(try back.serialized() == data)
    }

    @Test func rejectsForeignOrDamagedData() throws {
        let model = try Trainer.train(table: table(), config: TrainingConfig(target: "cls", algorithm: .decisionTree)).model
        let data = try model.serialized()
        #expect(throws: ModelFormatError.self) { try TrainedModel.deserialize(Data("not a model".utf8)) }
        #expect(throws: ModelFormatError.self) { try TrainedModel.deserialize(data.prefix(data.count - 3)) }
        #expect(throws: ModelFormatError.self) { try TrainedModel.deserialize(data + [0]) }
        var newer = data
        newer[8] = 3
        #expect(throws: ModelFormatError("unsupported model format version 3")) { try TrainedModel.deserialize(newer) }
        // A child index pointing backwards would make prediction loop: the tree check rejects it.
        let tree: DecisionTree
        if case .decisionTree(let t) = model.learner { tree = t } else { Issue.record("expected a tree"); return }
        var nodes = tree.nodes
        nodes[0].child = 0
        let broken = DecisionTree(featureCount: tree.featureCount, valueWidth: tree.valueWidth, nodes: nodes, leafValues: tree.leafValues)
        #expect(!broken.isWellFormed())
        #expect(tree.isWellFormed())
    }

    @Test func forestOnManyRowsStaysCompact() throws {
        var rng = DeterministicRNG(seed: 1)
        let n = 20_000
        var x: [Double] = [], label: [String?] = []
        for _ in 0..<n {
            let u = Double(rng.next() >> 11) * 0x1p-53
            x.append(u)
            label.append(u + Double(rng.next() >> 11) * 0x1p-53 * 0.3 > 0.6 ? "a" : "b")
        }
        let t = Table(
            columns: [Column(name: "x", type: .numeric, data: .numbers(x)), Column(name: "t", type: .categorical, data: .strings(label))],
            rowCount: n)
        let model = try Trainer.train(table: t, config: TrainingConfig(target: "t", algorithm: .randomForest, params: ["n_estimators": .int(10)])).model
        let data = try model.serialized()
        guard case .randomForest(let forest) = model.learner else { Issue.record("expected a forest"); return }
        let nodes = forest.trees.reduce(0) { $0 + $1.nodeCount }
        let leaves = forest.trees.reduce(0) { $0 + $1.leafCount }
        // Flat arrays: 16 bytes per node and 8 per leaf value, plus small headers.
        #expect(data.count < nodes * 16 + leaves * 2 * 8 + 4096)
        let loaded = try TrainedModel.deserialize(data)
        // A batch large enough to be split across cores still matches single-row predictions.
        let input = x.prefix(600).map { ["x": FeatureValue.number($0)] }
        #expect(try model.predict(rows: input) == input.map { try model.predict($0) })
        #expect(try loaded.predict(rows: input) == model.predict(rows: input), "the loaded forest predicts as the original")
    }
}
