import Foundation
import Testing
@testable import AnalyzerCore

/// A small mixed table: numeric with a missing value, integer, categorical with a missing value,
/// boolean, an empty column, free text and the target.
private func mixedTable() -> Table {
    Table(
        columns: [
            Column(name: "x", type: .numeric, data: .numbers([1, .nan, 3, 10])),
            Column(name: "n", type: .integer, data: .numbers([2, 2, 2, 2])),
            Column(name: "color", type: .categorical, data: .strings(["red", nil, "blue", "red"])),
            Column(name: "flag", type: .boolean, data: .strings(["true", "false", "true", "true"])),
            Column(name: "blank", type: .empty, data: .strings([nil, nil, nil, nil])),
            Column(name: "note", type: .text, data: .strings(["a", "b", "c", "d"])),
            Column(name: "y", type: .categorical, data: .strings(["p", "q", "p", "q"])),
        ],
        rowCount: 4)
}

private func fitMixed() throws -> FeaturePipeline {
    try FeaturePipeline.fit(table: mixedTable(), target: "y", maxLevels: 3)
}

@Suite struct PipelineTests {
    @Test func medianImputationThenStandardisation() throws {
        let pipeline = try fitMixed()
        let x = try #require(pipeline.columns.first { $0.name == "x" })
        // Median of 1, 3, 10 is 3; imputed column 1, 3, 3, 10: mean 4.25, population std √11.6875.
        guard case .standardized(let median, let mean, let scale) = x.encoding else {
            Issue.record("x should be standardised")
            return
        }
        #expect(median == 3)
        #expect(abs(mean - 4.25) < 1e-12)
        #expect(abs(scale - 11.6875.squareRoot()) < 1e-12)
        let m = pipeline.generateFeatures(mixedTable())
        let column = (0..<4).map { m[$0, x.offset] }
        #expect(abs(column[1] - (3 - 4.25) / 11.6875.squareRoot()) < 1e-12)
        let mu = column.reduce(0, +) / 4
        let variance = column.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 4
        #expect(abs(mu) < 1e-12)
        #expect(abs(variance - 1) < 1e-12)
    }

    @Test func constantColumnKeepsScaleOne() throws {
        let pipeline = try fitMixed()
        let n = try #require(pipeline.columns.first { $0.name == "n" })
        #expect(n.encoding == .standardized(median: 2, mean: 2, scale: 1))
        let m = pipeline.generateFeatures(mixedTable())
        #expect((0..<4).allSatisfy { m[$0, n.offset] == 0 })
    }

    @Test func oneHotWithMissingLevel() throws {
        let pipeline = try fitMixed()
        let color = try #require(pipeline.columns.first { $0.name == "color" })
        #expect(color.encoding == .oneHot(levels: ["blue", "red"], missingLevel: true))
        #expect(color.width == 3)
        let m = pipeline.generateFeatures(mixedTable())
        let block = { (r: Int) in (0..<3).map { m[r, color.offset + $0] } }
        #expect(block(0) == [0, 1, 0])
        #expect(block(1) == [0, 0, 1])
        #expect(block(2) == [1, 0, 0])
        let flag = try #require(pipeline.columns.first { $0.name == "flag" })
        #expect(flag.encoding == .oneHot(levels: ["false", "true"], missingLevel: false))
    }

    @Test func dropsEmptyAndHighCardinalityColumns() throws {
        let pipeline = try fitMixed()
        #expect(pipeline.columns.map(\.name) == ["x", "n", "color", "flag"])
        #expect(pipeline.dropped.map(\.name) == ["blank", "note"])
        #expect(pipeline.dropped[0].reason == "empty column")
        #expect(pipeline.dropped[1].reason.contains("4 distinct values (limit 3)"))
        #expect(pipeline.width == 1 + 1 + 3 + 2)
        #expect(pipeline.featureNames == ["x", "n", "color=blue", "color=red", "color=<missing>", "flag=false", "flag=true"])
        // A numeric column with no value in the training rows is dropped too.
        let allMissing = Table(
            columns: [
                Column(name: "z", type: .numeric, data: .numbers([.nan, .nan])),
                Column(name: "y", type: .numeric, data: .numbers([1, 2])),
            ], rowCount: 2)
        let p2 = try FeaturePipeline.fit(table: allMissing, target: "y")
        #expect(p2.columns.isEmpty)
        #expect(p2.dropped == [DroppedColumn(name: "z", reason: "no values in the training rows")])
    }

    @Test func unknownTargetIsAnError() {
        #expect(throws: TrainingError.self) { try FeaturePipeline.fit(table: mixedTable(), target: "nope") }
    }

    @Test func predictionRowsEncodeLikeTheTable() throws {
        let pipeline = try fitMixed()
        let m = pipeline.generateFeatures(mixedTable())
        // CSV-style strings, JSON-style numbers, explicit nulls; target and dropped columns tolerated.
        let rows: [[String: FeatureValue]] = [
            ["x": .string("1"), "n": .number(2), "color": .string("red"), "flag": .bool(true), "y": .string("p"), "note": .string("zz")],
            ["x": .missing, "n": .string("2"), "color": .missing, "flag": .string("FALSE")],
            ["x": .number(3), "n": .number(2), "color": .string("blue"), "flag": .string("yes"), "blank": .missing],
            ["x": .string(" 10 "), "n": .number(2), "color": .string("red"), "flag": .string("true")],
        ]
        var buffer: [Double] = [42]
        try pipeline.generateFeatures(rows: rows, into: &buffer)
        #expect(buffer == m.values)
        // The buffer's storage is reused on the next call.
        try pipeline.generateFeatures(rows: Array(rows.prefix(1)), into: &buffer)
        #expect(buffer == m.row(0))
    }

    @Test func unknownCategoryIsAllZero() throws {
        let pipeline = try fitMixed()
        let color = try #require(pipeline.columns.first { $0.name == "color" })
        var buffer: [Double] = []
        try pipeline.generateFeatures(
            rows: [["x": .number(1), "n": .number(2), "color": .string("green"), "flag": .bool(false)]], into: &buffer)
        #expect(buffer[color.offset..<(color.offset + 3)] == [0, 0, 0])
        // Numbers name categories by their string form.
        let t = Table(
            columns: [
                Column(name: "c", type: .categorical, data: .strings(["5", "7", "5.5"])),
                Column(name: "y", type: .numeric, data: .numbers([1, 2, 3])),
            ], rowCount: 3)
        let p = try FeaturePipeline.fit(table: t, target: "y")
        try p.generateFeatures(rows: [["c": .number(5)], ["c": .number(5.5)]], into: &buffer)
        #expect(buffer == [1, 0, 0, 0, 1, 0])
    }

    @Test func validationErrorsNameTheFirstField() throws {
        let pipeline = try fitMixed()
        let good: [String: FeatureValue] = ["x": .number(1), "n": .number(2), "color": .string("red"), "flag": .bool(true)]
        var buffer: [Double] = []
        func failure(_ rows: [[String: FeatureValue]]) -> PredictionError? {
            do {
                try pipeline.generateFeatures(rows: rows, into: &buffer)
                return nil
            } catch {
                return error
            }
        }
        var row = good
        row["n"] = nil
        var e = failure([good, row])
        #expect(e?.code == .missingField)
        #expect(e?.field == "n")
        #expect(e?.row == 1)
        #expect(e?.message == "generate_features: row 1: field 'n' is missing")

        row = good
        row["zeta"] = .number(1)
        row["alpha"] = .number(1)
        e = failure([row])
        #expect(e?.code == .unknownField)
        #expect(e?.field == "alpha")

        row = good
        row["x"] = .string("abc")
        e = failure([row])
        #expect(e?.code == .invalidType)
        #expect(e?.field == "x")
        #expect(e?.message.contains("generate_features") == true)

        for bad: FeatureValue in [.number(.nan), .number(.infinity), .string("inf"), .string("-Infinity")] {
            row = good
            row["x"] = bad
            #expect(failure([row])?.code == .nonFinite)
        }
        row = good
        row["flag"] = .string("maybe")
        #expect(failure([row])?.code == .invalidType)
        row = good
        row["x"] = .bool(true)
        #expect(failure([row])?.code == .invalidType)

        // Several problems: the first column in model order wins, before unknown fields.
        row = good
        row["color"] = nil
        row["x"] = .string("oops")
        row["extra"] = .number(0)
        e = failure([good, good, row])
        #expect(e?.field == "x")
        #expect(e?.row == 2)

        // Single-row prediction errors carry no row index.
        let out = UnsafeMutableBufferPointer<Double>.allocate(capacity: pipeline.width)
        defer { out.deallocate() }
        #expect(throws: PredictionError(code: .missingField, field: "x", row: nil, detail: "is missing")) {
            try pipeline.encodeRow([:], index: nil, into: out)
        }
    }

    @Test func codableRoundTrip() throws {
        let pipeline = try fitMixed()
        let data = try JSONEncoder().encode(pipeline)
        let back = try JSONDecoder().decode(FeaturePipeline.self, from: data)
        #expect(back == pipeline)
        #expect(back.generateFeatures(mixedTable()) == pipeline.generateFeatures(mixedTable()))
    }

    @Test func swappableGenerator() throws {
        /// A generator that keeps a copy of every matrix, like the service's legacy one.
        final class CopyingGenerator: FeatureGenerator, @unchecked Sendable {
            var kept: [[Double]] = []
            func generateFeatures(
                rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]
            ) throws(PredictionError) {
                var copy = [Double](repeating: 0, count: rows.count * pipeline.width)
                try copy.withUnsafeMutableBufferPointer { out throws(PredictionError) in
                    for (i, row) in rows.enumerated() {
                        try pipeline.encodeRow(
                            row, index: i,
                            into: UnsafeMutableBufferPointer(rebasing: out[(i * pipeline.width)..<((i + 1) * pipeline.width)]))
                    }
                }
                kept.append(copy)
                buffer = copy
            }
        }
        let pipeline = try fitMixed()
        let rows: [[String: FeatureValue]] = [["x": .number(3), "n": .number(2), "color": .string("blue"), "flag": .bool(true)]]
        let legacy = CopyingGenerator()
        var a: [Double] = [], b: [Double] = []
        try legacy.generateFeatures(rows: rows, pipeline: pipeline, into: &a)
        try InPlaceFeatureGenerator().generateFeatures(rows: rows, pipeline: pipeline, into: &b)
        #expect(a == b)
        #expect(legacy.kept.count == 1)
    }
}
