import AnalyzerCore
import Foundation

/// One label in a `POST /api/models/{id}/feedback` body: the prediction it is the truth for, and
/// the true class (`label`) or value (`value`).
struct FeedbackItem: Sendable, Equatable {
    let predictionID: String
    let label: String?
    let value: Double?
    /// Where the item stands in the body, for error messages: `prediction_id` or `[3].prediction_id`.
    let path: String

    /// Most labels one request may carry.
    static let maxItems = 10_000
    static let fields: Set<String> = ["prediction_id", "label", "value"]

    /// Decodes `{"prediction_id": …, "label"|"value": …}` or an array of such objects; errors name
    /// the field and the index.
    static func decode(_ data: Data) throws -> [FeedbackItem] {
        let shape = "body must be a JSON object {\"prediction_id\", \"label\" or \"value\"} or an array of them"
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw AnalyzerError.malformed("empty_body", "request body is empty; " + shape)
        }
        if first == UInt8(ascii: "[") {
            let list: [[String: FeatureValue]]
            do {
                list = try JSONDecoder().decode([[String: FeatureValue]].self, from: data)
            } catch {
                throw AnalyzerError.malformed("invalid_json", shape + JSON.shapeProblem(error))
            }
            guard !list.isEmpty else { throw AnalyzerError.invalid("empty_batch", "the array of feedback is empty") }
            guard list.count <= maxItems else {
                throw AnalyzerError.invalid("too_many_items", "at most \(maxItems) labels per request, got \(list.count)")
            }
            return try list.enumerated().map { index, object in try item(object, prefix: "[\(index)].") }
        }
        let object: [String: FeatureValue]
        do {
            object = try JSONDecoder().decode([String: FeatureValue].self, from: data)
        } catch {
            throw AnalyzerError.malformed("invalid_json", shape + JSON.shapeProblem(error))
        }
        return [try item(object, prefix: "")]
    }

    private static func item(_ object: [String: FeatureValue], prefix: String) throws -> FeedbackItem {
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw AnalyzerError.invalid("unknown_field", "field '\(prefix)\(unknown)' is not known; expected prediction_id and label or value")
        }
        let id: String
        switch object["prediction_id"] {
        case nil, .missing?: throw AnalyzerError.invalid("missing_field", "field '\(prefix)prediction_id' is required")
        case .string(let text)? where !text.isEmpty: id = text
        default: throw AnalyzerError.invalid("invalid_type", "field '\(prefix)prediction_id' must be a non-empty string")
        }
        var label: String?
        switch object["label"] {
        case nil, .missing?: break
        case .string(let text)?: label = text
        case .bool(let flag)?: label = flag ? "true" : "false"
        case .number(let x)?:
            guard x.isFinite else { throw AnalyzerError.invalid("non_finite", "field '\(prefix)label' must be finite") }
            label = Self.category(x)
        }
        var value: Double?
        switch object["value"] {
        case nil, .missing?: break
        case .number(let x)?: value = x
        case .string(let text)?:
            guard let parsed = CSVNumber.parse(text) else { throw AnalyzerError.invalid("invalid_type", "field '\(prefix)value' must be a number") }
            value = parsed.value
        case .bool?: throw AnalyzerError.invalid("invalid_type", "field '\(prefix)value' must be a number")
        }
        if let value, !value.isFinite { throw AnalyzerError.invalid("non_finite", "field '\(prefix)value' must be finite") }
        guard label != nil || value != nil else {
            throw AnalyzerError.invalid("missing_field", "field '\(prefix)label' (classification) or '\(prefix)value' (regression) is required")
        }
        return FeedbackItem(predictionID: id, label: label, value: value, path: prefix + "prediction_id")
    }

    /// A number as a class label, the way training names numeric classes: `1` for 1.0, `2.5` for 2.5.
    static func category(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}
