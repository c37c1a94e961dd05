import AnalyzerCore
import FiredrillSupport

/// Small, fast JSON rendering for the prediction log's rows (`{"column": value}`) and
/// predictions (`{"label","probabilities","value"}`), keys sorted. Non-finite numbers are written
/// as the strings `"nan"`, `"inf"`, `"-inf"`. Written into ``JSONBytes`` (no `String` appends).
enum LogJSON {
    static func object(_ row: [String: FeatureValue]) -> String {
        var out = JSONBytes(capacity: 2 + row.count * 32)
        out.append("{")
        for (index, (key, value)) in row.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(",") }
            out.quoted(key)
            out.append(":")
            switch value {
            case .number(let value): number(value, into: &out)
            case .string(let value): out.quoted(value)
            case .bool(let value): value ? out.append("true") : out.append("false")
            case .missing: out.append("null")
            }
        }
        out.append("}")
        return out.text
    }

    static func prediction(_ prediction: Prediction) -> String {
        var out = JSONBytes(capacity: 128)
        out.append("{")
        if let label = prediction.label {
            out.append("\"label\":")
            out.quoted(label)
        }
        if let probabilities = prediction.probabilities {
            out.bytes.count > 1 ? out.append(",\"probabilities\":{") : out.append("\"probabilities\":{")
            for (index, (key, probability)) in probabilities.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(",") }
                out.quoted(key)
                out.append(":")
                number(probability, into: &out)
            }
            out.append("}")
        }
        if let value = prediction.value {
            out.bytes.count > 1 ? out.append(",\"value\":") : out.append("\"value\":")
            number(value, into: &out)
        }
        out.append("}")
        return out.text
    }

    static func number(_ value: Double, into out: inout JSONBytes) {
        if value.isNaN {
            out.append("\"nan\"")
        } else if value.isInfinite {
            value > 0 ? out.append("\"inf\"") : out.append("\"-inf\"")
        } else if value == value.rounded(), abs(value) < 1e15 {
            out.write(String(Int64(value)))
        } else {
            out.number(value, trimmingPointZero: false)
        }
    }
}
