import AnalyzerCore

/// Small, fast JSON rendering for the prediction log's rows (`{"column": value}`) and
/// predictions (`{"label","probabilities","value"}`), keys sorted. Non-finite numbers are written
/// as the strings `"nan"`, `"inf"`, `"-inf"`.
enum LogJSON {
    static func object(_ row: [String: FeatureValue]) -> String {
        var out = "{"
        for (index, key) in row.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            string(key, into: &out)
            out += ":"
            switch row[key]! {
            case .number(let value): number(value, into: &out)
            case .string(let value): string(value, into: &out)
            case .bool(let value): out += value ? "true" : "false"
            case .missing: out += "null"
            }
        }
        return out + "}"
    }

    static func prediction(_ prediction: Prediction) -> String {
        var parts: [String] = []
        if let label = prediction.label {
            var part = "\"label\":"
            string(label, into: &part)
            parts.append(part)
        }
        if let probabilities = prediction.probabilities {
            var part = "\"probabilities\":{"
            for (index, key) in probabilities.keys.sorted().enumerated() {
                if index > 0 { part += "," }
                string(key, into: &part)
                part += ":"
                number(probabilities[key]!, into: &part)
            }
            parts.append(part + "}")
        }
        if let value = prediction.value {
            var part = "\"value\":"
            number(value, into: &part)
            parts.append(part)
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func number(_ value: Double, into out: inout String) {
        if value.isNaN {
            out += "\"nan\""
        } else if value.isInfinite {
            out += value > 0 ? "\"inf\"" : "\"-inf\""
        } else if value == value.rounded(), abs(value) < 1e15 {
            out += String(Int64(value))
        } else {
            out += "\(value)"
        }
    }

    static func string(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
