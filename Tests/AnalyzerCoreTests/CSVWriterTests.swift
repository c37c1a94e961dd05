import Foundation
import Testing
@testable import AnalyzerCore

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("") == "")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.field("cr\rhere") == "\"cr\rhere\"")
        #expect(CSVWriter.field(" padded") == "\" padded\"")
        #expect(CSVWriter.field("a;b") == "a;b")
        #expect(CSVWriter.field("a;b", delimiter: UInt8(ascii: ";")) == "\"a;b\"")
    }

    @Test func lineJoinsAndEnds() {
        #expect(CSVWriter.line(["a", "b,c", "d"]) == "a,\"b,c\",d\n")
        #expect(CSVWriter.line(["a", "b"], delimiter: UInt8(ascii: "\t")) == "a\tb\n")
    }

    @Test func roundTripsThroughReader() throws {
        let rows = [["id", "text", "n"], ["1", "comma, \"quote\"\nnewline", "2.5"], ["2", "Zürich ;", ""], ["3", " lead", "x"]]
        let text = rows.map { CSVWriter.line($0) }.joined()
        let read = try csvRows(text)
        #expect(read.header == rows[0])
        #expect(read.rows.map(\.fields) == Array(rows.dropFirst()))
    }
}
