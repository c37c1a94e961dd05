import Foundation
import Testing
@testable import AnalyzerCore

@Suite("CSV robustness")
struct CSVFuzzTests {
    /// Random bytes, biased towards CSV syntax, never crash: they parse or throw a CSVError.
    @Test func randomBytesNeverCrash() {
        var rng = CSVTestRandom(seed: 2024)
        let alphabet = Array("ab,;\t\"\n\r 0123456789.-eE+NA".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0x80, 0x00]
        for round in 0..<3000 {
            let length = Int(rng.next() % 200)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                bytes.append(round % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))])
            }
            checkNoCrash(Data(bytes))
        }
    }

    /// Random well-formed-ish CSV (random tokens, delimiters, line ends, a few corrupted bytes):
    /// parses or throws, and whenever it parses the schema agrees with the table it describes.
    @Test func randomStructuredFilesParseConsistently() {
        var rng = CSVTestRandom(seed: 31337)
        let tokens = ["1", "-2", "3.5", "1e3", "", "NA", "nan", "yes", "No", "TRUE", "x", "y", "Zoë", "\"q,\"\"x\"\"\"",
                      "\"a\nb\"", " 7 ", "inf", "-0", "0.1", "\"\"", "12345678901234567890", ".5", "#N/A"]
        var parsed = 0
        for _ in 0..<1500 {
            let delimiter = [",", ";", "\t"][Int(rng.next() % 3)]
            let newline = ["\n", "\r\n", "\r"][Int(rng.next() % 3)]
            let columns = 1 + Int(rng.next() % 5)
            let rows = Int(rng.next() % 12)
            var text = (0..<columns).map { "c\($0)" }.joined(separator: delimiter) + newline
            // Each column draws from a few tokens so that types vary but stay plausible.
            let palettes = (0..<columns).map { _ in (0..<3).map { _ in tokens[Int(rng.next() % UInt64(tokens.count))] } }
            for _ in 0..<rows {
                text += (0..<columns).map { palettes[$0][Int(rng.next() % 3)] }.joined(separator: delimiter) + newline
            }
            var bytes = Array(text.utf8)
            if rng.next() % 4 == 0 && !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if checkNoCrash(Data(bytes)) { parsed += 1 }
        }
        #expect(parsed > 300)
    }

    /// Parses `data` both ways; true when it parsed. Any error must be a CSVError.
    @discardableResult
    func checkNoCrash(_ data: Data) -> Bool {
        var ok = false
        do {
            let (table, schema) = try CSVDataset.parse(data)
            #expect(table.columns.allSatisfy { $0.data.count == table.rowCount })
            #expect(schema == DatasetSchema(describing: table))
            ok = true
        } catch is CSVError {
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            let rows = try CSVRows.read(data)
            #expect(rows.rows.allSatisfy { $0.fields.count == rows.header.count })
            #expect(ok, "CSVRows accepted what CSVDataset rejected")
        } catch is CSVError {
            #expect(!ok, "CSVDataset accepted what CSVRows rejected")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return ok
    }

    /// Every prefix of a valid file either parses or throws (cuts inside quotes, CRLF, UTF-8).
    @Test func everyPrefixOfAValidFile() {
        let text = "name,\"note\",n\r\n\"Zoë\",\"a \"\"b\"\"\r\nc\",1.5\r\nx,,2\r\n"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            do {
                _ = try CSVDataset.parse(Data(bytes[0..<cut]))
            } catch let error as CSVError {
                #expect(!error.message.isEmpty)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func utf8ValidatorAgreesWithStandardLibrary() {
        var rng = CSVTestRandom(seed: 99)
        for _ in 0..<5000 {
            let bytes = (0..<Int(rng.next() % 24)).map { _ -> UInt8 in
                let r = rng.next()
                return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : UInt8(0x80 | (r >> 8) % 0x40) | (r % 5 == 0 ? 0x40 : 0)
            }
            let ours = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0.baseAddress!, from: 0, to: $0.count) }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((ours == nil) == valid, "\(bytes)")
        }
    }
}
