import Foundation
import Testing
@testable import AnalyzerCore

/// The live window: bounded by size and age, forgets what leaves it, handles unseen categories,
/// and reports the same PSI as the batch computation.
@Suite struct DriftWindowTests {
    static let reference = ReferenceDistribution(features: [
        .numeric(name: "x", sample: (0..<1000).map { Double($0) / 1000 }),
        .categorical(name: "c", sample: Array(repeating: "a", count: 60) + Array(repeating: "b", count: 40)),
    ])

    static func row(_ x: Double, _ c: String) -> [String: FeatureValue] { ["x": .number(x), "c": .string(c)] }

    @Test func matchesTheBatchComputation() {
        var window = DriftWindow(reference: Self.reference, columns: [], capacity: 500)
        var xs: [Double] = [], cs: [String?] = []
        var rng = DeterministicRNG(seed: 3)
        for i in 0..<300 {
            let x = Double(rng.next() >> 11) * 0x1p-53 * 1.3
            let c = i % 3 == 0 ? "b" : (i % 7 == 0 ? "z" : "a")
            xs.append(x)
            cs.append(c)
            window.record(Self.row(x, c), at: Double(i))
        }
        let report = window.report()
        #expect(report.windowSize == 300)
        let batchX = PSI.numeric(expected: (0..<1000).map { Double($0) / 1000 }, actual: xs)
        let batchC = PSI.categorical(expected: Array(repeating: "a", count: 60) + Array(repeating: "b", count: 40), actual: cs)
        #expect(report.features[0] == FeatureDrift(reference: Self.reference.features[0], actualCounts: batchX.bins.map(\.actualCount), unseen: []))
        #expect(report.features[0].psi == batchX.psi)
        #expect(report.features[1].psi == batchC.psi)
        #expect(report.features[1].bins.map(\.label) == ["a", "b", "z"], "unseen live categories join the sorted union")
        #expect(report.maxPSI == max(batchX.psi!, batchC.psi!))
    }

    @Test func sizeLimitForgetsTheOldestRows() {
        var window = DriftWindow(reference: Self.reference, columns: [], capacity: 100)
        // 100 drifted rows, then 100 in-distribution rows push them all out.
        for i in 0..<100 { window.record(Self.row(5, "z"), at: Double(i)) }
        #expect(window.report().verdict == .drifted)
        for i in 0..<100 { window.record(Self.row(Double(i) / 100 + 0.005, i % 5 < 3 ? "a" : "b"), at: Double(100 + i)) }
        let report = window.report()
        #expect(report.windowSize == 100)
        #expect(report.features[1].bins.map(\.label) == ["a", "b"], "the unseen category left with its rows")
        #expect(report.features[0].bins.map(\.actualCount) == Array(repeating: 10, count: 10))
        #expect(report.verdict == .stable)
    }

    @Test func ageLimitForgetsOldRows() {
        var window = DriftWindow(reference: Self.reference, columns: [], capacity: 1000, maxAge: 60)
        for i in 0..<50 { window.record(Self.row(9, "z"), at: Double(i)) }
        window.expire(now: 50)
        #expect(window.count == 50, "nothing is older than 60 s at t=50")
        #expect(window.report().verdict == .drifted)
        for i in 0..<50 { window.record(Self.row(Double(i) / 50 + 0.01, i % 5 < 3 ? "a" : "b"), at: 100) }
        window.expire(now: 100)
        #expect(window.count == 60, "rows from t < 40 are gone")
        window.expire(now: 120)
        #expect(window.count == 50, "rows from t < 60 are gone")
        #expect(window.report().verdict == .stable)
        window.expire(now: 161)
        #expect(window.count == 0)
        #expect(window.report().verdict == .noData)
        #expect(window.report().maxPSI == nil)
    }

    @Test func missingAndRefusedValuesAreLeftOut() {
        var window = DriftWindow(reference: Self.reference, columns: [], capacity: 10)
        window.record(["x": .missing, "c": .string("a")], at: 0)
        window.record(["x": .string("NA"), "c": .missing], at: 0)
        window.record(["x": .string("oops"), "c": .number(3)], at: 0)
        window.record(Self.row(0.5, "b"), at: 0)
        let report = window.report()
        #expect(report.windowSize == 4)
        #expect(report.features[0].actualTotal == 1)
        #expect(report.features[1].actualTotal == 3)
        #expect(report.features[1].bins.map(\.label) == ["3", "a", "b"])
    }

    @Test func unseenCategoriesAreCapped() {
        var window = DriftWindow(reference: Self.reference, columns: [], capacity: 5000)
        for i in 0..<(DriftWindow.maxUnseenCategories + 50) { window.record(Self.row(0.5, "u\(i)"), at: 0) }
        let bins = window.report().features[1].bins
        #expect(bins.count == 2 + DriftWindow.maxUnseenCategories + 1)
        #expect(bins.first { $0.label == DriftWindow.otherCategory }?.actualCount == 50)
    }

    @Test func trainedModelsCarryTheirReferenceThroughSerialization() throws {
        var rng = DeterministicRNG(seed: 9)
        var a: [Double] = [], c: [String?] = [], y: [String?] = []
        for i in 0..<200 {
            let u = Double(rng.next() >> 11) * 0x1p-53
            a.append(i % 13 == 0 ? .nan : u)
            c.append(i % 9 == 0 ? nil : ["p", "q"][i % 2])
            y.append(u > 0.5 ? "hi" : "lo")
        }
        let table = Table(columns: [
            Column(name: "a", type: .numeric, data: .numbers(a)),
            Column(name: "c", type: .categorical, data: .strings(c)),
            Column(name: "y", type: .categorical, data: .strings(y)),
        ], rowCount: 200)
        let result = try Trainer.train(table: table, config: TrainingConfig(target: "y", algorithm: .logisticRegression))
        let reference = try #require(result.model.reference)
        #expect(reference.features.map(\.name) == ["a", "c"])
        // Training rows only, missing values left out.
        let trainA = result.trainRows
        #expect(reference.features[0].expectedTotal < trainA)
        #expect(reference.features[1].bins == .categorical(categories: ["p", "q"]))
        let back = try TrainedModel.deserialize(try result.model.serialized())
        #expect(back.reference == reference)
        #expect(TrainedModel.formatVersion == 2)
    }

    @Test func versionOneArtifactsLoadWithoutAReference() throws {
        let table = Table(columns: [
            Column(name: "a", type: .numeric, data: .numbers((0..<20).map(Double.init))),
            Column(name: "y", type: .categorical, data: .strings((0..<20).map { $0 < 10 ? "lo" : "hi" })),
        ], rowCount: 20)
        let model = try Trainer.train(table: table, config: TrainingConfig(target: "y", algorithm: .decisionTree)).model
        var data = try model.serialized()
        // A version 1 artifact is the same bytes without the trailing reference section.
        let withoutReference = try TrainedModel(
            task: model.task, algorithm: model.algorithm, target: model.target, classes: model.classes,
            parameters: model.parameters, pipeline: model.pipeline, learner: model.learner).serialized()
        #expect(withoutReference.last == 0, "no-reference marker")
        data = withoutReference.dropLast()
        data[8] = 1
        let old = try TrainedModel.deserialize(data)
        #expect(old.reference == nil)
        #expect(try old.predict(["a": .number(3)]) == (try model.predict(["a": .number(3)])))
    }
}
