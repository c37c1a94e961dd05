import AnalyzerCore
import Foundation
import Testing
@testable import AnalyzerServer

/// Request rows decode each JSON value to its own case, whatever order the decoder tries them in.
@Suite struct FeatureValueJSONTests {
    @Test func eachJSONTypeMapsToItsCase() throws {
        let body = #"{"n":1.5,"i":3,"s":"x","t":"true","b":true,"f":false,"z":null,"inf":"Infinity","nan":"nan","num":"2.5"}"#
        let row = try JSONDecoder().decode([String: FeatureValue].self, from: Data(body.utf8))
        #expect(row["n"] == .number(1.5))
        #expect(row["i"] == .number(3))
        #expect(row["s"] == .string("x"))
        #expect(row["t"] == .string("true"))
        #expect(row["b"] == .bool(true))
        #expect(row["f"] == .bool(false))
        #expect(row["z"] == .missing)
        #expect(row["inf"] == .number(.infinity))
        #expect(row["num"] == .string("2.5"))
        guard case .number(let nan) = row["nan"] else { Issue.record("nan: \(String(describing: row["nan"]))"); return }
        #expect(nan.isNaN)
    }

    @Test func nestedValuesAreRefused() {
        for body in [#"{"a":[1]}"#, #"{"a":{"b":1}}"#] {
            #expect(throws: (any Error).self) { try JSONDecoder().decode([String: FeatureValue].self, from: Data(body.utf8)) }
        }
    }
}
