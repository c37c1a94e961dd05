import AnalyzerCore

/// The single-row predict response, `{"model","prediction","prediction_id","probabilities"}`,
/// written by hand: byte for byte what `Responses.json(SingleResponse(…))` writes
/// (JSONEncoder, sorted keys) at a fraction of the cost — JSONEncoder was the largest cost of a
/// prediction after the prediction log.
///
/// Only plain cases are written here: strings with nothing to escape, class names made of lowercase
/// ASCII letters, spaces, `-` and `.` (an order every key-sorting rule agrees on), finite numbers.
/// Anything else returns nil and the caller falls back to JSONEncoder.
enum SingleResponseJSON {
    static func render(model: String, prediction: Prediction, id: String) -> String? {
        guard isPlain(model), isPlain(id) else { return nil }
        var out = "{\"model\":\""
        out.reserveCapacity(160)
        out += model
        out += "\",\"prediction\":"
        if let label = prediction.label {
            guard isPlain(label) else { return nil }
            out += "\""
            out += label
            out += "\""
        } else {
            guard let value = prediction.value, let text = number(value) else { return nil }
            out += text
        }
        out += ",\"prediction_id\":\""
        out += id
        out += "\""
        if let probabilities = prediction.probabilities {
            out += ",\"probabilities\":{"
            for (index, (key, value)) in probabilities.sorted(by: { $0.key < $1.key }).enumerated() {
                guard isPlainKey(key), let text = number(value) else { return nil }
                if index > 0 { out += "," }
                out += "\""
                out += key
                out += "\":"
                out += text
            }
            out += "}"
        }
        out += "}"
        return out
    }

    /// A finite number as JSONEncoder writes it (Swift's shortest form, without a trailing `.0`).
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Printable ASCII other than `"`, `\` and `/` (which JSONEncoder could escape).
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "/") }
    }

    /// Lowercase ASCII letters, spaces, `-` and `.`: keys whose sorted order is the same byte-wise,
    /// case-insensitively and numerically.
    static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == 0x20 || $0 == 0x2D || $0 == 0x2E }
    }
}
