import Foundation
import Testing
@testable import AnalyzerCore

@Suite("Schema inference")
struct SchemaInferenceTests {
    /// The inferred type of a single column holding `values` (one per row).
    func inferredType(_ values: [String]) throws -> ColumnType {
        let text = "c,row\n" + values.enumerated().map { "\(CSVWriter.field($1)),\($0)\n" }.joined()
        return try csvParse(text).schema.columns[0].type
    }

    @Test func integer() throws {
        #expect(try inferredType(["1", "-2", "+3", "", "NA", "40"]) == .integer)
        let d = try csvParse("n,x\n1,a\nNA,b\n3,c\n")
        #expect(csvNumbers(d.table, "n")[0] == 1)
        #expect(csvNumbers(d.table, "n")[1].isNaN)
        #expect(d.schema.columns[0].missing == 1)
    }

    @Test func numeric() throws {
        #expect(try inferredType(["1", "2.5", "-3e2", "nan", "NaN"]) == .numeric)
        #expect(try inferredType(["1.0", "2.0"]) == .numeric)
    }

    @Test func infinityWordsAreText() throws {
        #expect(try inferredType(["1", "inf", "2", "3", "4"]) != .numeric)
        #expect(try inferredType(["1.5", "Infinity", "2.5"]) == .text)
    }

    @Test func boolean() throws {
        #expect(try inferredType(["true", "False", "YES", "no", "", "TRUE"]) == .boolean)
        let d = try csvParse("b,n\nYes,1\nno,2\nTRUE,3\n,4\nFalse,5\nyes,6\n")
        #expect(csvStrings(d.table, "b") == ["true", "false", "true", nil, "false", "true"])
        #expect(d.schema.columns[0].distinct == 2)
        #expect(d.schema.columns[0].summary.topValues == [ValueCount(value: "true", count: 3), ValueCount(value: "false", count: 2)])
    }

    @Test func zeroOneIsIntegerNotBoolean() throws {
        #expect(try inferredType(["0", "1", "1", "0"]) == .integer)
    }

    @Test func empty() throws {
        #expect(try inferredType(["", "NA", "  ", "null"]) == .empty)
        let d = try csvParse("e,n\n,1\nNA,2\n")
        #expect(csvStrings(d.table, "e") == [nil, nil])
        #expect(d.schema.columns[0].missing == 2)
        #expect(d.schema.columns[0].distinct == 0)
    }

    @Test func categoricalVersusText() throws {
        // 3 distinct among 6: categorical.
        #expect(try inferredType(["a", "b", "c", "a", "b", "c"]) == .categorical)
        // All distinct: text, even when few.
        #expect(try inferredType(["alpha", "beta", "gamma"]) == .text)
        // 20 distinct values, each twice: categorical (limit is max(20, 5 %)).
        #expect(try inferredType((0..<40).map { "v\($0 % 20)" }) == .categorical)
        // 21 distinct among 42: text.
        #expect(try inferredType((0..<42).map { "v\($0 % 21)" }) == .text)
        // 50 distinct among 1000 (5 %): categorical; 51 among 1000: text.
        #expect(try inferredType((0..<1000).map { "v\($0 % 50)" }) == .categorical)
        #expect(try inferredType((0..<1000).map { "v\($0 % 51)" }) == .text)
    }

    @Test func rule() {
        #expect(ColumnInference.isCategorical(distinct: 20, present: 21))
        #expect(!ColumnInference.isCategorical(distinct: 5, present: 5))
        #expect(ColumnInference.isCategorical(distinct: 100, present: 2000))
        #expect(!ColumnInference.isCategorical(distinct: 101, present: 2000))
    }

    @Test func mixedNumbersAndWordsAreStrings() throws {
        let d = try csvParse("v,n\n1,1\nx,2\n2.5,3\n1,4\n")
        #expect(d.schema.columns[0].type == .categorical)
        #expect(csvStrings(d.table, "v") == ["1", "x", "2.5", "1"])
    }

    @Test func tableColumnKindsFollowTypes() throws {
        let d = try csvParse("i,f,b,c,t,e\n1,1.5,yes,a,x1,\n2,2.5,no,a,x2,\n3,,yes,b,x3,\n")
        let kinds = d.table.columns.map { c -> String in
            if case .numbers = c.data { return "numbers" } else { return "strings" }
        }
        #expect(d.schema.columns.map(\.type) == [.integer, .numeric, .boolean, .categorical, .text, .empty])
        #expect(kinds == ["numbers", "numbers", "strings", "strings", "strings", "strings"])
        #expect(d.table.columns.map(\.type) == d.schema.columns.map(\.type))
        #expect(d.table.rowCount == 3 && d.schema.rowCount == 3)
    }
}
