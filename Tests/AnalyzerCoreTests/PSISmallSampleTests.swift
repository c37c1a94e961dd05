import Foundation
import Testing
@testable import AnalyzerCore

/// The small-sample correction (``PSI/smallSample(expected:actual:)``): clean traffic against a
/// 120-row iris training sample reads stable, shifted traffic still reads drifted, and the numpy
/// reference cases (500 training rows) are computed without it (PSIVectorTests: exact to 1e-9).
@Suite struct PSISmallSampleTests {
    /// Iris' four numeric columns, 150 rows.
    static func iris() throws -> [[Double]] {
        let text = try String(contentsOf: PSIVectorTests.root.appendingPathComponent("Tests/Fixtures/iris.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in line.split(separator: ",").prefix(4).map { Double($0)! } }
    }

    /// The largest feature PSI of `live` against a reference built from `training`.
    static func maxPSI(training: [[Double]], live: [[Double]]) -> Double {
        (0..<4).map { column in
            let reference = FeatureReference.numeric(name: "c\(column)", sample: training.map { $0[column] })
            guard case .numeric(let edges) = reference.bins else { return .nan }
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for row in live { counts[FeatureReference.binIndex(row[column], edges: edges)] += 1 }
            return FeatureDrift(reference: reference, actualCounts: counts, unseen: []).psi ?? .nan
        }.max() ?? .nan
    }

    @Test func cleanIrisTrafficIsStableAndShiftedTrafficDrifted() throws {
        let rows = try Self.iris()
        #expect(rows.count == 150)
        var rng = DeterministicRNG(seed: 42)
        for trial in 0..<20 {
            // A 120-row training split (iris' default 80 %) and a 300-row window of clean rows.
            var shuffled = rows
            rng.shuffle(&shuffled)
            let training = Array(shuffled.prefix(120))
            let clean = (0..<300).map { _ in rows[rng.nextInt(below: rows.count)] }
            let cleanPSI = Self.maxPSI(training: training, live: clean)
            #expect(cleanPSI < 0.1, "trial \(trial): clean traffic reads \(cleanPSI)")
            let shifted = clean.map { row in [row[0], row[1], row[2] + 1, row[3]] }
            let shiftedPSI = Self.maxPSI(training: training, live: shifted)
            #expect(shiftedPSI > 0.2, "trial \(trial): petal length + 1 cm reads \(shiftedPSI)")
        }
    }

    @Test func theCorrectionRemovesTheChanceLevelAndAppliesOnlyToSmallSamples() {
        // Identical shares: nothing but chance, which the correction removes.
        #expect(PSI.smallSample(expected: [12, 12, 12, 12, 12, 12, 12, 12, 12, 12], actual: [30, 30, 30, 30, 30, 30, 30, 30, 30, 30]) == 0)
        #expect(PSI.smallSample(expected: [0, 0], actual: [1, 2]).isNaN)
        // A training sample of `smallSampleRows` rows gets the plain formula (the reference cases).
        let big = (0..<PSI.smallSampleRows).map { Double($0) }
        let live = (0..<200).map { Double($0) * 2 }
        #expect(PSI.numeric(expected: big, actual: live).psi == {
            let reference = FeatureReference.numeric(name: "", sample: big)
            guard case .numeric(let edges) = reference.bins else { return nil }
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for x in live { counts[FeatureReference.binIndex(x, edges: edges)] += 1 }
            return PSI.value(expected: reference.expectedCounts, actual: counts)
        }())
    }
}
