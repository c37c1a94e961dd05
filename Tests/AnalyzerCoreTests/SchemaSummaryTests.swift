import Foundation
import Testing
@testable import AnalyzerCore

@Suite("Schema summaries")
struct SchemaSummaryTests {
    @Test func numericSummaryMatchesHandComputedValues() throws {
        // Python: statistics.mean([2,4,4,4,5,5,7,9]) == 5, statistics.stdev(...) == 2.138089935299395
        let d = try csvParse("x,k\n2,a\n4,a\nNA,a\n4,a\n4,b\n,b\n5,b\n5,b\n7,c\n9,c\n")
        let s = try #require(d.schema.column(named: "x"))
        #expect(s.type == .integer)
        #expect(s.missing == 2)
        #expect(s.distinct == 5)
        #expect(s.summary.min == 2)
        #expect(s.summary.max == 9)
        #expect(s.summary.mean == 5)
        let std = try #require(s.summary.std)
        #expect(abs(std - 2.138089935299395) < 1e-12)
        #expect(s.summary.topValues.isEmpty)
    }

    @Test func stdNeedsTwoValues() throws {
        let d = try csvParse("x,y\n3.5,1\nNA,2\n")
        let s = d.schema.columns[0].summary
        #expect(s.mean == 3.5 && s.min == 3.5 && s.max == 3.5)
        #expect(s.std == nil)
    }

    @Test func stdIsAccurateForLargeOffsets() {
        // Naive sum-of-squares loses everything here; pandas/statistics give exactly 1.0.
        let values = [1e9 + 1, 1e9 + 2, 1e9 + 3]
        let s = ColumnSummary.numeric(values)
        #expect(s.mean == 1e9 + 2)
        #expect(s.std == 1.0)
    }

    @Test func topValuesByCountThenValue() throws {
        // counts: b=3, a=3, c=2, d=1 ... ties (a, b) by value ascending.
        let d = try csvParse("k,n\nb,1\na,2\nc,3\nb,4\na,5\nd,6\nb,7\na,8\nc,9\n,10\n")
        let s = d.schema.columns[0]
        #expect(s.type == .categorical)
        #expect(s.missing == 1)
        #expect(s.distinct == 4)
        #expect(s.summary.topValues == [
            ValueCount(value: "a", count: 3), ValueCount(value: "b", count: 3),
            ValueCount(value: "c", count: 2), ValueCount(value: "d", count: 1),
        ])
        #expect(s.summary.min == nil && s.summary.mean == nil)
    }

    @Test func topValuesKeepAtMostTen() {
        var counts: [ValueCount] = []
        for i in 0..<30 { counts.append(ValueCount(value: String(format: "v%02d", i), count: i % 7)) }
        let top = ColumnSummary.categories(counts.shuffled()).topValues
        let expected = counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }.prefix(10)
        #expect(top == Array(expected))
    }

    @Test func distinctTreatsSignedZeroAsOneValue() {
        let c = Column(name: "z", type: .numeric, data: .numbers([0.0, -0.0, .nan, 1, 1, 2]))
        let s = ColumnSchema(describing: c)
        #expect(s.distinct == 3)
        #expect(s.missing == 1)
    }

    @Test func distinctCountsManyValues() {
        // Integers as doubles have zero low bits: a weak hash would collide them all.
        var values = (0..<50_000).map { Double($0) }
        values += (0..<50_000).map { Double($0) * 0.5 }
        let s = ColumnSchema(describing: Column(name: "n", type: .numeric, data: .numbers(values)))
        #expect(s.distinct == 75_000)
    }

    @Test func jsonUsesSnakeCaseKeys() throws {
        let d = try csvParse("x,k\n1.5,a\n2.5,a\n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(d.schema), as: UTF8.self)
        #expect(json.contains("\"row_count\":2"))
        #expect(json.contains("\"top_values\":[{\"count\":2,\"value\":\"a\"}]"))
        #expect(json.contains("\"type\":\"numeric\""))
        #expect(!json.contains("rowCount") && !json.contains("topValues"))
        // Numbers absent for string columns.
        #expect(json.contains("{\"top_values\":[{\"count\":2"))
        let decoded = try JSONDecoder().decode(DatasetSchema.self, from: Data(json.utf8))
        #expect(decoded == d.schema)
    }
}
