import Foundation
import Testing
@testable import AnalyzerCore

@Suite("CSV fixtures")
struct CSVFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures").standardizedFileURL

    @Test func iris() throws {
        let (table, schema) = try CSVDataset.load(contentsOf: Self.fixtures.appendingPathComponent("iris.csv"))
        #expect(table.rowCount == 150 && schema.rowCount == 150)
        #expect(table.columnNames == ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)", "target"])
        #expect(schema.columns.map(\.type) == [.numeric, .numeric, .numeric, .numeric, .categorical])
        #expect(schema.columns.allSatisfy { $0.missing == 0 })
        let target = schema.columns[4]
        #expect(target.distinct == 3)
        #expect(target.summary.topValues == [
            ValueCount(value: "setosa", count: 50), ValueCount(value: "versicolor", count: 50),
            ValueCount(value: "virginica", count: 50),
        ])
        // pandas / Python statistics on the same file.
        let sepal = schema.columns[0]
        #expect(sepal.distinct == 35)
        #expect(sepal.summary.min == 4.3 && sepal.summary.max == 7.9)
        #expect(abs(sepal.summary.mean! - 5.843333333333334) < 1e-12)
        #expect(abs(sepal.summary.std! - 0.828066127977863) < 1e-12)
        let petal = schema.columns[2]
        #expect(petal.distinct == 43)
        #expect(abs(petal.summary.mean! - 3.758) < 1e-12)
        #expect(abs(petal.summary.std! - 1.7652982332594664) < 1e-12)
        #expect(schema.columns.map(\.distinct) == [35, 23, 43, 22, 3])
        #expect(csvNumbers(table, "sepal width (cm)").prefix(2) == [3.5, 3.0])
    }

    @Test func diabetes() throws {
        let (table, schema) = try CSVDataset.load(contentsOf: Self.fixtures.appendingPathComponent("diabetes.csv"))
        #expect(table.rowCount == 442)
        #expect(table.columns.count == 11)
        #expect(table.columnNames.first == "age" && table.columnNames.last == "target")
        #expect(schema.columns.allSatisfy { $0.type == .numeric && $0.missing == 0 })
        // Long mantissas (17+ digits) go through the exact slow path.
        #expect(csvNumbers(table, "age")[0] == 0.038075906433423026)
        let target = try #require(schema.column(named: "target"))
        #expect(target.summary.min == 25 && target.summary.max == 346)
        #expect(abs(target.summary.mean! - 152.13348416289594) < 1e-9)
        #expect(abs(target.summary.std! - 77.09300453299109) < 1e-9)
        #expect(schema.columns.map(\.distinct) == [58, 2, 163, 100, 141, 302, 63, 66, 184, 56, 214])
    }

    @Test func rowsReaderOnIris() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("iris.csv"))
        let r = try CSVRows.read(data)
        #expect(r.rows.count == 150)
        #expect(r.rows[0].line == 2 && r.rows[149].line == 151)
        #expect(r.rows[0].fields == ["5.1", "3.5", "1.4", "0.2", "setosa"])
    }
}
