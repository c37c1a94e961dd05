import AnalyzerCore
import Foundation
import Testing
@testable import AnalyzerServer

/// The prediction log's hand-written JSON is valid and reads back as what was logged.
@Suite struct LogJSONTests {
    @Test func rowsAreValidJSONWithEscapes() throws {
        let row: [String: FeatureValue] = [
            "sepal length (cm)": .number(5.1), "quote\"and\\slash": .string("a\nb\u{01}é"), "flag": .bool(true),
            "gone": .missing, "count": .number(3), "tiny": .number(1e-5), "bad": .number(.nan),
        ]
        let text = LogJSON.object(row)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["sepal length (cm)"] as? Double == 5.1)
        #expect(object["quote\"and\\slash"] as? String == "a\nb\u{01}é")
        #expect(object["flag"] as? Bool == true)
        #expect(object["gone"] is NSNull)
        #expect(object["count"] as? Int == 3)
        #expect(object["tiny"] as? Double == 1e-5)
        #expect(object["bad"] as? String == "nan")
        #expect(text.hasPrefix("{\"bad\":"), "keys sorted: \(text)")
    }

    @Test func predictionsDecodeBack() throws {
        let classified = Prediction(label: "setosa", probabilities: ["setosa": 0.9, "virginica": 0.1], value: nil)
        let regressed = Prediction(value: 151.25)
        for prediction in [classified, regressed] {
            let decoded = try JSONDecoder().decode(Prediction.self, from: Data(LogJSON.prediction(prediction).utf8))
            #expect(decoded == prediction)
        }
    }

    @Test func exactTextWithAndWithoutEscapes() {
        // Plain strings take the fast path; the others are escaped scalar by scalar.
        #expect(LogJSON.object(["b": .string("plain é"), "a": .number(2.5), "c": .number(-3)]) == #"{"a":2.5,"b":"plain é","c":-3}"#)
        #expect(LogJSON.object(["k\"": .string("tab\there")]) == #"{"k\"":"tab\there"}"#)
        #expect(LogJSON.object([:]) == "{}")
        let prediction = Prediction(label: "b", probabilities: ["b": 0.75, "a": 0.25], value: nil)
        #expect(LogJSON.prediction(prediction) == #"{"label":"b","probabilities":{"a":0.25,"b":0.75}}"#)
    }
}
