import AnalyzerCore
import FiredrillSupport

/// Small, fast JSON rendering for the prediction log's rows (`{"column": value}`) and
/// predictions (`{"label","probabilities","value"}`), keys sorted. Non-finite numbers are written
/// as the strings `"nan"`, `"inf"`, `"-inf"`.
enum LogJSON {
    static func object(_ row: [String: FeatureValue]) -> String {
        var out = "{"
        out.reserveCapacity(2 + row.count * 32)
        for (index, (key, value)) in row.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(key, to: &out)
            out += ":"
            switch value {
            case .number(let value): number(value, into: &out)
            case .string(let value): JSONText.appendQuoted(value, to: &out)
            case .bool(let value): out += value ? "true" : "false"
            case .missing: out += "null"
            }
        }
        return out + "}"
    }

    static func prediction(_ prediction: Prediction) -> String {
        var out = "{"
        out.reserveCapacity(96)
        if let label = prediction.label {
            out += "\"label\":"
            JSONText.appendQuoted(label, to: &out)
        }
        if let probabilities = prediction.probabilities {
            out += out.utf8.count > 1 ? ",\"probabilities\":{" : "\"probabilities\":{"
            for (index, (key, probability)) in probabilities.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out += "," }
                JSONText.appendQuoted(key, to: &out)
                out += ":"
                number(probability, into: &out)
            }
            out += "}"
        }
        if let value = prediction.value {
            out += out.utf8.count > 1 ? ",\"value\":" : "\"value\":"
            number(value, into: &out)
        }
        return out + "}"
    }

    static func number(_ value: Double, into out: inout String) {
        if value.isNaN {
            out += "\"nan\""
        } else if value.isInfinite {
            out += value > 0 ? "\"inf\"" : "\"-inf\""
        } else if value == value.rounded(), abs(value) < 1e15 {
            out += String(Int64(value))
        } else {
            out += value.description
        }
    }
}
