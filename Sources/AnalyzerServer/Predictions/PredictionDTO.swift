import AnalyzerCore
import Foundation

/// One prediction in API form; `prediction` is the label (classification) or value (regression).
struct PredictionDTO: Encodable {
    let predictionId: String
    let prediction: PredictionOutput
    let probabilities: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case predictionId = "prediction_id", prediction, probabilities
    }

    /// `id` is the prediction's id in the prediction log.
    init(_ prediction: Prediction, id: String) {
        predictionId = id
        if let label = prediction.label {
            self.prediction = .label(label)
        } else {
            self.prediction = .value(prediction.value ?? .nan)
        }
        probabilities = prediction.probabilities
    }
}

enum PredictionOutput: Encodable {
    case label(String)
    case value(Double)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .label(let label): try container.encode(label)
        case .value(let value): try container.encode(value)
        }
    }
}

/// The batch predict response.
struct BatchResponse: Encodable {
    let model: String
    let predictions: [PredictionDTO]
}

/// The single-row predict response (see ``SingleResponseJSON`` for the fast path).
struct SingleResponse: Encodable {
    let model: String
    let prediction: PredictionDTO

    func encode(to encoder: any Encoder) throws {
        try prediction.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(model, forKey: .model)
    }

    enum Key: String, CodingKey { case model }
}
