import AnalyzerCore
import Foundation
import Testing
@testable import AnalyzerServer

/// The hand-written single-prediction response is byte for byte what JSONEncoder writes, and
/// declines whatever it cannot write exactly.
@Suite struct SingleResponseJSONTests {
    static func encoded(_ model: String, _ prediction: Prediction, _ id: String) throws -> String {
        String(decoding: try Responses.encoded(SingleResponse(model: model, prediction: PredictionDTO(prediction, id: id))), as: UTF8.self)
    }

    @Test func matchesJSONEncoder() throws {
        let id = PredictionID.make(1)[0]
        var generator = SystemRandomNumberGenerator()
        var predictions: [Prediction] = [
            Prediction(label: "setosa", probabilities: ["setosa": 1, "versicolor": 0, "virginica": .leastNonzeroMagnitude]),
            Prediction(label: "yes", probabilities: ["no": 1e-7, "yes": 0.9999999]),
            Prediction(label: "no label probabilities"),
            Prediction(value: 151.25), Prediction(value: -3), Prediction(value: 0), Prediction(value: -0.0),
            Prediction(value: 1e22), Prediction(value: 123_456_789_012_345_680), Prediction(value: -2.5e-8),
        ]
        for _ in 0..<500 {
            let a = Double.random(in: 0...1, using: &generator), b = Double.random(in: 0...(1 - a), using: &generator)
            predictions.append(Prediction(label: "versicolor", probabilities: ["setosa": a, "versicolor": b, "virginica": 1 - a - b]))
            predictions.append(Prediction(value: Double.random(in: -1e6...1e6, using: &generator)))
            predictions.append(Prediction(value: Double(bitPattern: generator.next())))
        }
        var written = 0
        for prediction in predictions {
            guard let text = SingleResponseJSON.render(model: "m_0123456789ab", prediction: prediction, id: id) else { continue }
            #expect(text == (try Self.encoded("m_0123456789ab", prediction, id)))
            written += 1
        }
        #expect(written > 1_000)
    }

    @Test func declinesWhatItCannotWriteExactly() {
        let id = PredictionID.make(1)[0]
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(label: "a\"b"), id: id) == nil)
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(label: "a/b"), id: id) == nil)
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(label: "é"), id: id) == nil)
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(value: .nan), id: id) == nil)
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(), id: id) == nil)
        #expect(SingleResponseJSON.render(model: "m", prediction: Prediction(label: "B", probabilities: ["B": 0.5, "a_1": 0.5]), id: id) == nil)
    }
}
