import Foundation
import Testing
@testable import AnalyzerCore

@Suite("CSV errors")
struct CSVErrorTests {
    @Test(arguments: ["", "\n\n", "\r\n  \t\n", "\u{FEFF}"])
    func emptyFile(_ text: String) {
        let e = csvError { _ = try csvParse(text) }
        #expect(e?.code == "empty_file")
        #expect(e?.kind == .emptyFile)
    }

    @Test(arguments: ["a,b,c", "a,b,c\n", "a,b,c\r\n\r\n"])
    func headerOnly(_ text: String) {
        let e = csvError { _ = try csvParse(text) }
        #expect(e?.code == "no_rows")
        #expect(e?.message.contains("3 columns") == true)
        let r = csvError { _ = try csvRows(text) }
        #expect(r?.code == "no_rows")
    }

    @Test func raggedRowNamesLineAndCounts() {
        let text = "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4,5\n"
        let e = csvError { _ = try csvParse(text) }
        #expect(e?.code == "ragged_row")
        #expect(e?.line == 7)
        #expect(e?.message == "line 7 has 5 fields, expected 4")
    }

    @Test func shortRowIsRagged() {
        let e = csvError { _ = try csvRows("a,b,c\n1,2,3\n\n1,2\n") }
        #expect(e?.code == "ragged_row")
        #expect(e?.message == "line 4 has 2 fields, expected 3")
    }

    @Test func raggedRowLineCountsEmbeddedNewlines() {
        let e = csvError { _ = try csvParse("a,b\n\"x\ny\",1\n1,2,3\n") }
        #expect(e?.line == 4)
        #expect(e?.message == "line 4 has 3 fields, expected 2")
    }

    @Test func unterminatedQuoteNamesStartLineAndColumn() {
        let e = csvError { _ = try csvParse("a,b,comment\n1,2,ok\n3,4,\"never\nclosed\n5,6,x\n") }
        #expect(e?.code == "unterminated_quote")
        #expect(e?.line == 3)
        #expect(e?.column == 3)
        #expect(e?.message.contains("line 3") == true)
        #expect(e?.message.contains("column 3 (\"comment\")") == true)
    }

    @Test func unterminatedQuoteInHeader() {
        let e = csvError { _ = try csvRows("a,\"b\n1,2\n") }
        #expect(e?.code == "unterminated_quote")
        #expect(e?.line == 1)
        #expect(e?.column == 2)
    }

    @Test func invalidUTF8NamesLineAndColumn() {
        var bytes = Array("name,city\nann,Paris\nbob,".utf8)
        bytes += [0x52, 0xFF, 0x6D, 0x65]  // "R\xFFme"
        bytes += Array("\n".utf8)
        let e = csvError { _ = try CSVDataset.parse(Data(bytes)) }
        #expect(e?.code == "invalid_utf8")
        #expect(e?.line == 3)
        #expect(e?.column == 2)
        #expect(e?.message.contains("line 3") == true)
        #expect(e?.message.contains("\"city\"") == true)
        #expect(e?.message.contains("0xFF") == true)
    }

    @Test func invalidUTF8InHeader() {
        let bytes = Array("id,".utf8) + [0xC3, 0x28] + Array("\n1,2\n".utf8)  // C3 28: bad continuation
        let e = csvError { _ = try CSVRows.read(Data(bytes)) }
        #expect(e?.code == "invalid_utf8")
        #expect(e?.line == 1)
        #expect(e?.column == 2)
    }

    @Test func invalidUTF8AfterQuotedNewlineCountsLines() {
        let bytes = Array("a,b\n\"x\ny\",1\n2,".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8)  // surrogate
        let e = csvError { _ = try CSVDataset.parse(Data(bytes)) }
        #expect(e?.code == "invalid_utf8")
        #expect(e?.line == 4)
        #expect(e?.column == 2)
    }

    @Test func duplicateColumnNamesBothPositions() {
        let e = csvError { _ = try csvParse("id,x,y,x\n1,2,3,4\n") }
        #expect(e?.code == "duplicate_column")
        #expect(e?.message.contains("\"x\"") == true)
        #expect(e?.message.contains("columns 2 and 4") == true)
        #expect(e?.line == 1)
        #expect(e?.column == 4)
    }

    @Test func duplicateAfterTrimming() {
        let e = csvError { _ = try csvRows("a, a\n1,2\n") }
        #expect(e?.code == "duplicate_column")
    }

    @Test(arguments: ["a,,c\n1,2,3\n", "a,  ,c\n1,2,3\n", "a,\"\",c\n1,2,3\n"])
    func emptyColumnName(_ text: String) {
        let e = csvError { _ = try csvParse(text) }
        #expect(e?.code == "empty_column_name")
        #expect(e?.column == 2)
        #expect(e?.message == "line 1: column 2 has an empty name")
    }

    @Test func fileOver4GiBIsRejectedBeforeReading() {
        // Only the size is looked at: the (fake) buffer is never read.
        var byte: UInt8 = 0
        let e = withUnsafeMutableBytes(of: &byte) { small in
            let huge = UnsafeRawBufferPointer(start: small.baseAddress, count: Int(UInt32.max) + 1)
            return csvError { _ = try CSVDataset.parse(bytes: huge) }
        }
        #expect(e?.code == "file_too_large")
    }

    @Test func unreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/data.csv")
        let e = csvError { _ = try CSVDataset.load(contentsOf: url) }
        #expect(e?.code == "unreadable_file")
        #expect(e?.message.contains("/nonexistent/dir/data.csv") == true)
    }

    @Test func codesAreStableSnakeCase() {
        #expect(CSVError.Kind.allCases.map(\.rawValue) == [
            "empty_file", "no_rows", "ragged_row", "unterminated_quote", "invalid_utf8",
            "duplicate_column", "empty_column_name", "file_too_large", "unreadable_file",
        ])
        let e = CSVError.raggedRow(line: 3, fields: 1, expected: 2)
        #expect(e.description == "ragged_row: line 3 has 1 field, expected 2")
    }
}
