import Foundation
import Testing
@testable import AnalyzerCore

/// Deterministic pseudo-random data for learner tests.
private struct TestData {
    var rng = DeterministicRNG(seed: 7)
    mutating func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    /// `rows × cols` standard normal features.
    mutating func matrix(rows: Int, cols: Int) -> FeatureMatrix {
        FeatureMatrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in normal() })
    }
}

private func settings(
    _ algorithm: Algorithm, _ task: ModelTask, _ params: [String: ParamValue] = [:], seed: UInt64 = 42
) throws(TrainingError) -> LearnerSettings {
    try LearnerSettings.resolve(algorithm: algorithm, task: task, params: params, defaultSeed: seed)
}

@Suite struct LearnerTests {
    // MARK: Parameters

    @Test func defaultsFollowScikitLearn() throws {
        let rf = try settings(.randomForest, .classification)
        #expect(rf.estimators == 100 && rf.bootstrap && rf.maxDepth == nil && rf.minSamplesLeaf == 1)
        #expect(rf.minSamplesSplit == 2 && rf.maxFeatures == .sqrt && rf.seed == 42)
        #expect(try settings(.randomForest, .regression).maxFeatures == .all)
        #expect(try settings(.decisionTree, .classification).maxFeatures == .all)
        let lr = try settings(.logisticRegression, .classification)
        #expect(lr.c == 1 && lr.maxIterations == 1000 && lr.tolerance == 1e-4)
        #expect(try settings(.ridge, .regression).alpha == 1)
        #expect(MaxFeatures.sqrt.resolve(featureCount: 26) == 5)
        #expect(MaxFeatures.log2.resolve(featureCount: 26) == 4)
        #expect(MaxFeatures.fraction(0.5).resolve(featureCount: 5) == 2)
        #expect(MaxFeatures.count(50).resolve(featureCount: 5) == 5)
        let reported = rf.parameters
        #expect(reported["n_estimators"] == .int(100))
        #expect(reported["max_features"] == .string("sqrt"))
        #expect(reported["max_depth"] == .null)
    }

    @Test func parametersAreValidated() throws {
        func error(_ a: Algorithm, _ task: ModelTask, _ params: [String: ParamValue]) -> TrainingError? {
            do {
                _ = try settings(a, task, params)
                return nil
            } catch {
                return error
            }
        }
        var e = error(.randomForest, .classification, ["n_trees": .int(3)])
        #expect(e?.code == .unknownParameter)
        #expect(e?.message.contains("'n_trees'") == true)
        #expect(e?.message.contains("n_estimators") == true)
        #expect(error(.linearRegression, .regression, ["alpha": .number(1)])?.code == .unknownParameter)
        e = error(.randomForest, .classification, ["n_estimators": .string("many")])
        #expect(e?.code == .invalidParameter)
        #expect(e?.message.contains("'n_estimators'") == true)
        #expect(e?.message.contains("1...1000") == true)
        #expect(error(.randomForest, .classification, ["n_estimators": .int(0)])?.code == .invalidParameter)
        #expect(error(.randomForest, .classification, ["n_estimators": .number(2.5)])?.code == .invalidParameter)
        #expect(error(.decisionTree, .regression, ["max_depth": .int(0)])?.message.contains("'max_depth'") == true)
        #expect(error(.decisionTree, .regression, ["min_samples_split": .int(1)])?.code == .invalidParameter)
        #expect(error(.decisionTree, .regression, ["min_samples_leaf": .int(0)])?.code == .invalidParameter)
        #expect(error(.decisionTree, .regression, ["max_features": .number(1.5)])?.code == .invalidParameter)
        #expect(error(.decisionTree, .regression, ["max_features": .string("half")])?.code == .invalidParameter)
        #expect(error(.randomForest, .regression, ["bootstrap": .int(1)])?.code == .invalidParameter)
        #expect(error(.logisticRegression, .classification, ["C": .number(-1)])?.message.contains("'C'") == true)
        #expect(error(.logisticRegression, .classification, ["max_iter": .int(0)])?.code == .invalidParameter)
        #expect(error(.ridge, .regression, ["alpha": .number(-0.1)])?.code == .invalidParameter)
        #expect(error(.decisionTree, .regression, ["seed": .int(-1)])?.code == .invalidParameter)

        let ok = try settings(
            .randomForest, .regression,
            ["n_estimators": .int(10), "max_depth": .number(4), "max_features": .string("log2"), "bootstrap": .bool(false),
             "min_samples_leaf": .int(3), "seed": .int(9)])
        #expect(ok.estimators == 10 && ok.maxDepth == 4 && ok.maxFeatures == .log2 && !ok.bootstrap)
        #expect(ok.minSamplesLeaf == 3 && ok.seed == 9)
        #expect(try settings(.decisionTree, .regression, ["max_depth": .null]).maxDepth == nil)
        #expect(try settings(.decisionTree, .regression, ["max_features": .number(0.5)]).maxFeatures == .fraction(0.5))
        #expect(try settings(.logisticRegression, .classification, ["C": .int(2)]).c == 2)
    }

    // MARK: Linear models

    @Test func ordinaryLeastSquaresRecoversExactCoefficients() {
        var data = TestData()
        let x = data.matrix(rows: 50, cols: 3)
        let y = (0..<50).map { 2 * x[$0, 0] - 3 * x[$0, 1] + 0.5 * x[$0, 2] + 5 }
        let m = LinearModel.fit(x: x, y: y, alpha: 0)
        #expect(abs(m.coefficients[0] - 2) < 1e-8)
        #expect(abs(m.coefficients[1] + 3) < 1e-8)
        #expect(abs(m.coefficients[2] - 0.5) < 1e-8)
        #expect(abs(m.intercept - 5) < 1e-8)
    }

    @Test func ridgeShrinksWithUnpenalisedIntercept() {
        // Centred x = −1, 0, 1 and y = 8, 10, 12: w = Σxy / (Σx² + α) = 4 / 3, intercept = 10.
        let x = FeatureMatrix(rows: 3, cols: 1, values: [1, 2, 3])
        let m = LinearModel.fit(x: x, y: [8, 10, 12], alpha: 1)
        #expect(abs(m.coefficients[0] - 4.0 / 3) < 1e-12)
        #expect(abs(m.intercept - (10 - 2 * 4.0 / 3)) < 1e-12)
        #expect(abs(LinearModel.fit(x: x, y: [8, 10, 12], alpha: 0).coefficients[0] - 2) < 1e-8)
    }

    @Test func leastSquaresSurvivesCollinearColumns() {
        // A one-hot block plus the intercept is rank deficient; predictions must still be right.
        let x = FeatureMatrix(rows: 6, cols: 3, values: [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 2, 1, 0, 3, 0, 1, 4])
        let y = (0..<6).map { 3 * x[$0, 0] + 2 * x[$0, 2] + 1 }
        let m = LinearModel.fit(x: x, y: y, alpha: 0)
        for r in 0..<6 {
            let row = x.row(r)
            let p = row.withUnsafeBufferPointer { m.predict($0.baseAddress!) }
            #expect(abs(p - y[r]) < 1e-6)
        }
        #expect(m.coefficients.allSatisfy { $0.isFinite && abs($0) < 100 })
    }

    // MARK: Logistic regression

    @Test func logisticRegressionReachesTheOptimum() {
        var data = TestData()
        let n = 300
        let x = data.matrix(rows: n, cols: 2)
        let labels = (0..<n).map { r -> Int32 in
            let s = 1.5 * x[r, 0] - x[r, 1] + 0.3 * data.normal()
            return s < -0.5 ? 0 : (s < 0.7 ? 1 : 2)
        }
        let m = LogisticRegressionModel.fit(x: x, labels: labels, classCount: 3, c: 1, maxIterations: 1000, tolerance: 1e-8)
        // Gradient of mean log-loss + ‖W‖²/(2Cn) at the solution must vanish.
        var grad = [Double](repeating: 0, count: 3 * 3)
        var correct = 0
        for r in 0..<n {
            var prob = [Double](repeating: 0, count: 3)
            x.row(r).withUnsafeBufferPointer { xr in prob.withUnsafeMutableBufferPointer { m.probabilities(xr.baseAddress!, into: $0.baseAddress!) } }
            #expect(abs(prob.reduce(0, +) - 1) < 1e-12)
            if prob.firstIndex(of: prob.max()!) == Int(labels[r]) { correct += 1 }
            for k in 0..<3 {
                let residual = prob[k] - (Int(labels[r]) == k ? 1 : 0)
                grad[k * 2] += residual * x[r, 0]
                grad[k * 2 + 1] += residual * x[r, 1]
                grad[6 + k] += residual
            }
        }
        for k in 0..<3 { for j in 0..<2 { grad[k * 2 + j] += m.weights[k * 2 + j] } }
        #expect(grad.allSatisfy { abs($0) / Double(n) < 1e-6 })
        #expect(Double(correct) / Double(n) > 0.8)
    }

    @Test func binaryLogisticUsesOneLogit() {
        var data = TestData()
        let x = data.matrix(rows: 200, cols: 1)
        let labels = (0..<200).map { Int32(x[$0, 0] + 0.5 * data.normal() > 0 ? 1 : 0) }
        let m = LogisticRegressionModel.fit(x: x, labels: labels, classCount: 2, c: 1, maxIterations: 1000, tolerance: 1e-6)
        #expect(m.weights.count == 1 && m.intercepts.count == 1)
        #expect(m.weights[0] > 1)
        var prob = [0.0, 0.0]
        [2.0].withUnsafeBufferPointer { xr in prob.withUnsafeMutableBufferPointer { m.probabilities(xr.baseAddress!, into: $0.baseAddress!) } }
        #expect(prob[1] > 0.9 && abs(prob[0] + prob[1] - 1) < 1e-12)
    }

    // MARK: Trees

    @Test func treeSplitsAtMidpoints() {
        let x = FeatureMatrix(rows: 4, cols: 1, values: [1, 2, 3, 4])
        let data = TreeTrainingData(features: x, labels: [0, 0, 1, 1], classCount: 2)
        var rng = DeterministicRNG(seed: 1)
        let tree = TreeGrower(data: data, settings: TreeSettings(maxFeatures: 1), weights: nil).grow(rng: &rng)
        #expect(tree.nodeCount == 3)
        #expect(tree.nodes[0].feature == 0 && tree.nodes[0].threshold == 2.5)
        #expect(tree.leafValues == [1, 0, 0, 1])
    }

    @Test func treeLearnsXorExactly() {
        let x = FeatureMatrix(rows: 8, cols: 2, values: [0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1])
        let labels: [Int32] = [0, 1, 1, 0, 0, 1, 1, 0]
        let data = TreeTrainingData(features: x, labels: labels, classCount: 2)
        var rng = DeterministicRNG(seed: 1)
        let tree = TreeGrower(data: data, settings: TreeSettings(maxFeatures: 2), weights: nil).grow(rng: &rng)
        for r in 0..<8 {
            var out = [0.0, 0.0]
            x.row(r).withUnsafeBufferPointer { xr in out.withUnsafeMutableBufferPointer { tree.predict(xr.baseAddress!, into: $0.baseAddress!) } }
            #expect(out[Int(labels[r])] == 1)
        }
        #expect(tree.isWellFormed())
    }

    @Test func treeRespectsDepthAndLeafLimits() {
        var data = TestData()
        let x = data.matrix(rows: 500, cols: 3)
        let y = (0..<500).map { x[$0, 0] * 2 + data.normal() }
        let d = TreeTrainingData(features: x, values: y)
        var rng = DeterministicRNG(seed: 1)
        let shallow = TreeGrower(data: d, settings: TreeSettings(maxDepth: 2, maxFeatures: 3), weights: nil).grow(rng: &rng)
        #expect(shallow.leafCount <= 4)
        let leafy = TreeGrower(data: d, settings: TreeSettings(minSamplesLeaf: 50, maxFeatures: 3), weights: nil).grow(rng: &rng)
        #expect(leafy.leafCount <= 10)
        let full = TreeGrower(data: d, settings: TreeSettings(maxFeatures: 3), weights: nil).grow(rng: &rng)
        // Fully grown on distinct values: every training row is fitted exactly.
        for r in 0..<500 {
            var out = 0.0
            x.row(r).withUnsafeBufferPointer { full.predict($0.baseAddress!, into: &out) }
            #expect(abs(out - y[r]) < 1e-9)
        }
    }

    @Test func quantileBinsForManyDistinctValues() {
        var data = TestData()
        let n = 5000
        let x = data.matrix(rows: n, cols: 1)
        let binned = TreeTrainingData(features: x, values: [Double](repeating: 0, count: n))
        #expect(binned.binHigh[0].count <= 256 && binned.binHigh[0].count >= 200)
        let counts = (0..<n).reduce(into: [Int](repeating: 0, count: 256)) { $0[Int(binned.codes[$1])] += 1 }
        #expect(counts.max()! < 3 * n / 256)
        // Codes follow value order, and each value lies inside its bin's range.
        for r in 0..<n {
            let b = Int(binned.codes[r])
            #expect(binned.binLow[0][b] <= x[r, 0] && x[r, 0] <= binned.binHigh[0][b])
        }
        // Few distinct values: one exact bin per value.
        let small = TreeTrainingData(
            features: FeatureMatrix(rows: 5, cols: 1, values: [3, 1, 2, 3, 1]), values: [0, 0, 0, 0, 0])
        #expect(small.binLow[0] == [1, 2, 3] && small.binHigh[0] == [1, 2, 3])
        #expect((0..<5).map { small.codes[$0] } == [2, 0, 1, 2, 0])
    }

    @Test func subtractionTrickChangesNothing() {
        var data = TestData()
        let n = 6000
        let x = data.matrix(rows: n, cols: 6)
        let labels = (0..<n).map { r in Int32((x[r, 0] + x[r, 1] * x[r, 2] + 0.5 * data.normal() > 0 ? 1 : 0) + (x[r, 3] > 1 ? 1 : 0)) }
        let d = TreeTrainingData(features: x, labels: labels, classCount: 3)
        var weights = [Float](repeating: 0, count: n)
        var rng = DeterministicRNG(seed: 3)
        for _ in 0..<n { weights[rng.nextInt(below: n)] += 1 }
        var a = DeterministicRNG(seed: 5), b = DeterministicRNG(seed: 5)
        var with = TreeSettings(maxFeatures: 6)
        with.subtraction = true
        var without = with
        without.subtraction = false
        let t1 = TreeGrower(data: d, settings: with, weights: weights).grow(rng: &a)
        let t2 = TreeGrower(data: d, settings: without, weights: weights).grow(rng: &b)
        #expect(t1 == t2)
        #expect(t1.nodeCount > 100)
    }

    @Test func forestIsDeterministicPerSeed() {
        var data = TestData()
        let n = 2000
        let x = data.matrix(rows: n, cols: 8)
        let labels = (0..<n).map { r in Int32(x[r, 0] + x[r, 1] + data.normal() > 0 ? 1 : 0) }
        let d = TreeTrainingData(features: x, labels: labels, classCount: 2)
        let s = TreeSettings(maxFeatures: 2)
        let f1 = RandomForest.fit(data: d, count: 12, bootstrap: true, settings: s, seed: 11)
        let f2 = RandomForest.fit(data: d, count: 12, bootstrap: true, settings: s, seed: 11)
        let f3 = RandomForest.fit(data: d, count: 12, bootstrap: true, settings: s, seed: 12)
        #expect(f1 == f2)
        #expect(f1 != f3)
        #expect(f1.trees[0] != f1.trees[1])
        // Probabilities are the mean of the trees' leaf distributions.
        let row = x.row(0)
        var forest = [0.0, 0.0]
        var mean = [0.0, 0.0]
        row.withUnsafeBufferPointer { xr in
            forest.withUnsafeMutableBufferPointer { f1.predict(xr.baseAddress!, into: $0.baseAddress!) }
            for t in f1.trees {
                var out = [0.0, 0.0]
                out.withUnsafeMutableBufferPointer { t.predict(xr.baseAddress!, into: $0.baseAddress!) }
                mean[0] += out[0] / 12
                mean[1] += out[1] / 12
            }
        }
        #expect(abs(forest[0] - mean[0]) < 1e-12 && abs(forest[1] - mean[1]) < 1e-12)
        #expect(abs(forest[0] + forest[1] - 1) < 1e-12)
    }
}
