import Foundation
import Testing
@testable import AnalyzerCore

@Suite("CSV numbers")
struct CSVNumberTests {
    @Test(arguments: [
        ("0", 0.0, true), ("-0", 0.0, true), ("+7", 7, true), ("42", 42, true), ("007", 7, true),
        ("1.5", 1.5, false), ("-2.25", -2.25, false), (".5", 0.5, false), ("5.", 5, false),
        ("1e3", 1000, false), ("1E-2", 0.01, false), ("-4.5e+2", -450, false), (" 3.25 ", 3.25, false),
        ("\t12\t", 12, true), ("0.1", 0.1, false), ("0.038075906433423026", 0.038075906433423026, false),
        ("12345678.87654321", 12345678.87654321, false), ("9007199254740992", 9007199254740992, true),
    ])
    func accepted(_ text: String, _ value: Double, _ isInteger: Bool) throws {
        let parsed = try #require(CSVNumber.parse(text))
        #expect(parsed.value == value)
        #expect(parsed.value.sign == value.sign)
        #expect(parsed.isInteger == isInteger)
    }

    @Test(arguments: [
        "", " ", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", "1,5", "1 000", "0x1A", "inf", "-inf",
        "Infinity", "NaN", "nan", "1e400", "-1e999", "12a", "a12", "--1", "+-1", "1_000", "١٢",
    ])
    func rejected(_ text: String) {
        #expect(CSVNumber.parse(text) == nil)
    }

    /// Inexact inputs round exactly as the (correctly rounding) standard library does.
    @Test(arguments: [
        "123456789012345678", "9007199254740993", "1e-320", "2.2250738585072011e-308",
        "0.1000000000000000055511151231257827", "12345678901234567890123", "1.7976931348623157e308",
    ])
    func roundsLikeStandardLibrary(_ text: String) throws {
        let parsed = try #require(CSVNumber.parse(text))
        #expect(parsed.value == Double(text)!)
    }

    @Test func negativeZeroDecimalKeepsSign() throws {
        let parsed = try #require(CSVNumber.parse("-0.0"))
        #expect(parsed.value == 0 && parsed.value.sign == .minus)
    }

    /// Random decimal strings of every shape parse exactly as the standard library does
    /// (which is correctly rounded), through both the fast and the slow path.
    @Test func agreesWithStandardLibraryOnRandomDecimals() {
        var rng = CSVTestRandom(seed: 7)
        for _ in 0..<20_000 {
            var s = rng.next() % 4 == 0 ? "-" : ""
            let intDigits = Int(rng.next() % 12)
            for _ in 0..<intDigits { s += String(rng.next() % 10) }
            if intDigits == 0 || rng.next() % 2 == 0 {
                s += "."
                for _ in 0..<Int(1 + rng.next() % 20) { s += String(rng.next() % 10) }
            }
            if rng.next() % 5 == 0 { s += "e" + String(Int(rng.next() % 80) - 40) }
            let expected = Double(s)
            let parsed = CSVNumber.parse(s)
            #expect(parsed?.value == expected, "\(s)")
            if parsed?.value != expected { return }
        }
    }

    /// The eight-bytes-at-a-time digit reader sees digits followed by every kind of byte.
    @Test func digitRunsOfEveryLengthFollowedByAnyByte() {
        for length in 1...24 {
            let digits = String((0..<length).map { Character(String(($0 * 7 + 3) % 10)) })
            for terminator in [",", "\n", ";", ".", "e", "x", "/", ":", "\u{7F}", "é"] {
                let text = digits + terminator + "5,99999999"
                let bytes = Array(text.utf8)
                let parsed = bytes.withUnsafeBufferPointer { CSVNumber.parsePrefix($0.baseAddress!, $0.count) }
                if terminator == "." || terminator == "e" {
                    #expect(parsed?.length == length + 2, "\(text)")
                    #expect(parsed?.value == Double(digits + terminator + "5"), "\(text)")
                } else {
                    #expect(parsed?.length == length, "\(text)")
                    #expect(parsed?.value == Double(digits), "\(text)")
                }
            }
        }
    }

    @Test func missingTokensArePandasDefaults() {
        for token in ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "n/a", "#N/A", "-NaN", "-nan", "<NA>", "#N/A N/A", "1.#QNAN", "  NA "] {
            #expect(MissingValues.isMissing(token), "\(token)")
        }
        for text in ["na", "none", "inf", "0", "N", "NAN", "Nan", "-", "?", "missing", "NA NA"] {
            #expect(!MissingValues.isMissing(text), "\(text)")
        }
    }

    @Test func featureValueFromCSVField() {
        #expect(FeatureValue(csvField: " 2.5 ") == .number(2.5))
        #expect(FeatureValue(csvField: "NA") == .missing)
        #expect(FeatureValue(csvField: "") == .missing)
        #expect(FeatureValue(csvField: "Yes") == .bool(true))
        #expect(FeatureValue(csvField: "false") == .bool(false))
        #expect(FeatureValue(csvField: " north ") == .string("north"))
        #expect(FeatureValue(csvField: "inf") == .string("inf"))
    }
}

/// SplitMix64 for reproducible test data.
struct CSVTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
