import AnalyzerCore
import Foundation
import Hummingbird
import Testing
@testable import AnalyzerServer

/// The fast reader of flat prediction bodies agrees with JSONDecoder, and declines the rest.
@Suite struct FlatJSONRowTests {
    static func fast(_ body: String) -> [String: FeatureValue]? { fast(Array(body.utf8)) }

    static func fast(_ bytes: [UInt8]) -> [String: FeatureValue]? {
        bytes.withUnsafeBytes { FlatJSONRow.parse($0) }
    }

    /// With the model's column names to reuse, the reader gives the same row: names it knows, names
    /// it does not, near misses (case, a longer or shorter name) and duplicates alike.
    @Test func reusingColumnNamesGivesTheSameRow() throws {
        let keys = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)", "é"]
        for body in [
            #"{"sepal length (cm)":5.9,"sepal width (cm)":3.0,"petal length (cm)":5.1,"petal width (cm)":1.8}"#,
            #"{"Sepal length (cm)":1,"sepal length (cm) ":2,"sepal length":3,"é":"x","target":"setosa"}"#,
            #"{"petal width (cm)":1,"petal width (cm)":2}"#, #"{}"#,
        ] {
            let plain = Array(body.utf8).withUnsafeBytes { FlatJSONRow.parse($0) }
            let reused = Array(body.utf8).withUnsafeBytes { FlatJSONRow.parse($0, keys: keys) }
            #expect(plain == reused, "\(body)")
        }
        let row = try #require(Array(#"{"é":2,"x":1}"#.utf8).withUnsafeBytes { FlatJSONRow.parse($0, keys: keys) })
        #expect(row == ["é": .number(2), "x": .number(1)])
    }

    /// Equal, counting NaN as equal to NaN.
    static func same(_ a: [String: FeatureValue], _ b: [String: FeatureValue]) -> Bool {
        a.count == b.count && a.allSatisfy { key, value in
            guard let other = b[key] else { return false }
            if case .number(let x) = value, case .number(let y) = other, x.isNaN, y.isNaN { return true }
            return value == other
        }
    }

    @Test(arguments: [
        #"{"sepal length (cm)":5.9,"sepal width (cm)":3.0,"petal length (cm)":5.1,"petal width (cm)":1.8}"#,
        " \n{ \"a\" : -0 , \"b\":\t1e3,\"c\":2.5E-3 ,\"d\":-12.75e+2 }\r\n",
        #"{}"#, " { } ",
        #"{"big":12345678901234567890123,"small":5e-324,"third":0.1,"max":1.7976931348623157e308}"#,
        #"{"s":"plain","u":"ünïcødé 数据 🙂","empty":"","t":true,"f":false,"n":null}"#,
        #"{"i":"Infinity","m":"-inf","nan":"NaN","num":"2.5"}"#,
    ])
    func agreesWithJSONDecoder(_ body: String) throws {
        let decoded = try JSONDecoder().decode([String: FeatureValue].self, from: Data(body.utf8))
        let fast = try #require(Self.fast(body), "declined: \(body)")
        #expect(Self.same(fast, decoded), "\(body): \(fast) vs \(decoded)")
    }

    @Test(arguments: [
        #"{"a":"x\"y"}"#, #"{"a\n":1}"#, "{\"a\":\"tab\there\"}",  // escapes, control characters
        #"{"a":[1]}"#, #"{"a":{"b":1}}"#, #"[{"a":1}]"#,  // nesting, batches
        #"{"a":1,"a":2}"#, "{\"\u{E9}\":1,\"e\u{301}\":2}",  // duplicate keys (also canonically equal ones)
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":+1}"#, #"{"a":1e}"#, #"{"a":-}"#, #"{"a":NaN}"#, #"{"a":1e400}"#,
        #"{"a":1,}"#, #"{"a":1} x"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":nul}"#, #"{a:1}"#, "", "  ", #"{"a":1"#,
        "\u{FEFF}{\"a\":1}",
    ])
    func declinesTheRest(_ body: String) {
        #expect(Self.fast(body) == nil, "\(body)")
    }

    @Test func numbersParseAsJSONDecoderParsesThem() throws {
        var generator = SystemRandomNumberGenerator()
        for i in 0..<2_000 {
            let x = i.isMultiple(of: 2) ? Double(bitPattern: generator.next()) : Double.random(in: -1e4...1e4, using: &generator)
            guard x.isFinite else { continue }
            for text in [x.description, String(format: "%.17g", x), String(format: "%.3f", x)] where !text.contains("inf") {
                let body = "{\"x\":\(text)}"
                let decoded = try JSONDecoder().decode([String: FeatureValue].self, from: Data(body.utf8))
                #expect(Self.fast(body) == decoded, "\(body)")
            }
        }
    }

    @Test func declinesInvalidUTF8() {
        #expect(Self.fast(Array(#"{"a":""#.utf8) + [0xFF] + Array(#""}"#.utf8)) == nil)
    }

    @Test func predictionInputUsesItAndStillReportsErrors() throws {
        let input = try PredictionInput.json(ByteBuffer(string: #"{"x":1.5,"y":"b"}"#))
        #expect(!input.isBatch && input.rows.count == 1 && input.rows[0] == ["x": .number(1.5), "y": .string("b")])
        #expect(throws: AnalyzerError.self) { try PredictionInput.json(ByteBuffer(string: #"{"x":NaN}"#)) }
        #expect(throws: AnalyzerError.self) { try PredictionInput.json(ByteBuffer(string: "  ")) }
    }
}
