import Foundation
import Testing
@testable import AnalyzerCore

// Helpers shared by the CSV*/Schema* test files (prefixed to stay clear of other suites).

/// Parses `text` with ``CSVDataset``.
func csvParse(_ text: String) throws -> (table: Table, schema: DatasetSchema) {
    try CSVDataset.parse(Data(text.utf8))
}

/// Reads `text` with ``CSVRows``.
func csvRows(_ text: String) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
    try CSVRows.read(Data(text.utf8))
}

/// The CSVError thrown by `body`, or nil.
func csvError(_ body: () throws -> Void) -> CSVError? {
    do {
        try body()
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// The string values of column `name`.
func csvStrings(_ table: Table, _ name: String) -> [String?] {
    guard case .strings(let v)? = table.column(named: name)?.data else {
        Issue.record("column \(name) is not a string column")
        return []
    }
    return v
}

/// The number values of column `name`.
func csvNumbers(_ table: Table, _ name: String) -> [Double] {
    guard case .numbers(let v)? = table.column(named: name)?.data else {
        Issue.record("column \(name) is not a number column")
        return []
    }
    return v
}

@Suite("CSV parser")
struct CSVParserTests {
    @Test func plainCommaFileWithTrailingNewline() throws {
        let r = try csvRows("a,b,c\n1,2,3\n4,5,6\n")
        #expect(r.header == ["a", "b", "c"])
        #expect(r.rows.map(\.fields) == [["1", "2", "3"], ["4", "5", "6"]])
        #expect(r.rows.map(\.line) == [2, 3])
    }

    @Test func noTrailingNewline() throws {
        let r = try csvRows("a,b\n1,2\n3,4")
        #expect(r.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
    }

    @Test func crlfLineEnds() throws {
        let r = try csvRows("a,b\r\n1,2\r\n3,4\r\n")
        #expect(r.header == ["a", "b"])
        #expect(r.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(r.rows.map(\.line) == [2, 3])
    }

    @Test func loneCRLineEnds() throws {
        let r = try csvRows("a,b\r1,2\r3,4")
        #expect(r.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(r.rows.map(\.line) == [2, 3])
    }

    @Test func quotedFieldsWithDelimiterQuoteAndNewline() throws {
        let text = "id,comment,n\n1,\"hello, world\",2\n2,\"she said \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,\"\",5\n"
        let r = try csvRows(text)
        #expect(r.rows.map { $0.fields[1] } == ["hello, world", "she said \"hi\"", "two\nlines", ""])
        // The record with an embedded newline starts on line 4; the next one on line 6.
        #expect(r.rows.map(\.line) == [2, 3, 4, 6])
    }

    @Test func embeddedCRLFInsideQuotesIsKept() throws {
        let r = try csvRows("a,b\r\n\"x\r\ny\",1\r\n2,3\r\n")
        #expect(r.rows[0].fields == ["x\r\ny", "1"])
        #expect(r.rows[1].line == 4)
    }

    @Test func textAfterClosingQuoteIsKeptLiterally() throws {
        let r = try csvRows("a,b\n\"ab\"cd,1\n")
        #expect(r.rows[0].fields == ["abcd", "1"])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        let r = try csvRows("a,b\n5\" screen,1\n")
        #expect(r.rows[0].fields == ["5\" screen", "1"])
    }

    @Test func bomIsStripped() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("name,value\nx,1\n".utf8))
        let r = try CSVRows.read(data)
        #expect(r.header == ["name", "value"])
        let d = try CSVDataset.parse(data)
        #expect(d.table.columnNames == ["name", "value"])
    }

    @Test func headerNamesAreTrimmedAndMayBeQuoted() throws {
        let r = try csvRows(" a ,\"b, c\" ,\td\n1,2,3\n")
        #expect(r.header == ["a", "b, c", "d"])
    }

    @Test func rowFieldsAreVerbatimButTableValuesTrimmed() throws {
        let text = "k,v\n  x ,1\ny,2\nx,3\n"
        #expect(try csvRows(text).rows[0].fields == ["  x ", "1"])
        let t = try csvParse(text).table
        #expect(csvStrings(t, "k") == ["x", "y", "x"])
    }

    @Test func blankLinesAreSkipped() throws {
        let r = try csvRows("\n\na,b\n\n1,2\n\n\n3,4\n\n")
        #expect(r.header == ["a", "b"])
        #expect(r.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(r.rows.map(\.line) == [5, 8])
    }

    @Test func whitespaceOnlyLineIsSkippedInMultiColumnFile() throws {
        let d = try csvParse("a,b\n1,2\n   \n3,4\n")
        #expect(d.table.rowCount == 2)
        #expect(d.schema.columns[0].missing == 0)
    }

    @Test func emptyTrailingFieldsAreMissing() throws {
        let d = try csvParse("a,b,c\n1,,\n2,x,\n3,x,\n")
        #expect(d.table.rowCount == 3)
        #expect(d.schema.columns.map(\.missing) == [0, 1, 3])
        #expect(d.schema.columns[2].type == .empty)
    }

    @Test func semicolonDelimiterIsDetected() throws {
        let r = try csvRows("name;city;n\nAnn;Paris, FR;1\nBob;Rome;2\n")
        #expect(r.header == ["name", "city", "n"])
        #expect(r.rows[0].fields == ["Ann", "Paris, FR", "1"])
        #expect(CSVDialect.detect(in: Data("name;city;n\nAnn;Paris, FR;1\n".utf8)) == .semicolon)
    }

    @Test func tabDelimiterIsDetected() throws {
        let r = try csvRows("a\tb\n1\t2\n")
        #expect(r.header == ["a", "b"])
        #expect(r.rows[0].fields == ["1", "2"])
    }

    @Test func delimiterDetectionIgnoresQuotedDelimiters() {
        // Two semicolons inside quotes in the header must not beat the one real comma.
        #expect(CSVDialect.detect(in: Data("\"a;b;c\",d\n1,2\n".utf8)) == .comma)
        // Commas inside quoted values vs consistent semicolons.
        #expect(CSVDialect.detect(in: Data("x;y\n\"1,5\";2\n\"3,5\";4\n".utf8)) == .semicolon)
        // Consistency wins: commas appear in the header but vary per row.
        #expect(CSVDialect.detect(in: Data("a,b;c,d\n1;2\n3;4\n".utf8)) == .semicolon)
        // No candidate: single column, comma.
        #expect(CSVDialect.detect(in: Data("value\n1\n2\n".utf8)) == .comma)
    }

    @Test func singleColumnFile() throws {
        let d = try csvParse("value\n1\n2\n3\n")
        #expect(d.table.columnNames == ["value"])
        #expect(csvNumbers(d.table, "value") == [1, 2, 3])
    }

    @Test func utf8ContentSurvives() throws {
        let d = try csvParse("ville,n\nZürich,1\n東京,2\nZürich,3\n")
        #expect(csvStrings(d.table, "ville") == ["Zürich", "東京", "Zürich"])
    }

    @Test func quotedNumbersAreNumbers() throws {
        let d = try csvParse("a,b\n\"1.5\",x\n\" 2 \",y\n")
        #expect(d.schema.columns[0].type == .numeric)
        #expect(csvNumbers(d.table, "a") == [1.5, 2])
    }

    @Test func columnTurningTextLateKeepsEarlierValues() throws {
        // Numbers for many rows, then a word: the column becomes text/categorical with every value.
        var text = "a,b\n"
        for i in 0..<100 { text += "\(i % 3),\(i)\n" }
        text += "many,100\n"
        let d = try csvParse(text)
        let a = csvStrings(d.table, "a")
        #expect(a.count == 101)
        #expect(a[0] == "0" && a[1] == "1" && a[100] == "many")
        #expect(d.schema.columns[0].type == .categorical)
        #expect(d.schema.columns[0].distinct == 4)
    }

    @Test func largeFileAcrossChunksAndLateTextColumn() throws {
        var text = "a,b,c\n"
        for i in 0..<3000 {
            if i == 1500 { text += "   \n" }  // whitespace-only line: skipped, not a missing value
            text += "\(i),\(i == 2500 ? "word" : String(i % 7)),\(Double(i) / 4)\n"
        }
        let d = try csvParse(text)
        #expect(d.table.rowCount == 3000)
        #expect(csvNumbers(d.table, "a") == (0..<3000).map(Double.init))
        #expect(d.schema.columns[0].missing == 0)
        #expect(d.schema.columns[0].type == .integer)
        let b = csvStrings(d.table, "b")
        #expect(b.count == 3000 && b[2500] == "word" && b[2499] == "0" && b[0] == "0" && b[2999] == "3")
        #expect(d.schema.columns[1].type == .categorical)
        #expect(csvNumbers(d.table, "c")[2999] == 749.75)
        #expect(d.schema.columns[2].type == .numeric)
        #expect(d.schema == DatasetSchema(describing: d.table))
    }

    @Test func escapedQuotesInStringColumn() throws {
        let d = try csvParse("q,n\n\"a \"\"b\"\"\",1\n\"a \"\"b\"\"\",2\nc,3\n")
        #expect(csvStrings(d.table, "q") == ["a \"b\"", "a \"b\"", "c"])
    }

    @Test func tableAndSchemaAgreeWithDescribing() throws {
        let text = "n,i,s,b\n1.5,1,x,yes\n,2,y,No\nNA,3,x,\n-2.25,-4,,YES\n"
        let d = try csvParse(text)
        #expect(d.schema == DatasetSchema(describing: d.table))
    }
}
