import AnalyzerCore
import FiredrillSupport

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
        bytes(model: model, prediction: prediction, id: id)?.text
    }

    /// The response as bytes (what the route sends; ``render(model:prediction:id:)`` is its text).
    static func bytes(model: String, prediction: Prediction, id: String) -> JSONBytes? {
        guard isPlain(model), isPlain(id) else { return nil }
        var out = JSONBytes(capacity: 192)
        out.append("{\"model\":\"")
        out.write(model)
        out.append("\",\"prediction\":")
        if let label = prediction.label {
            guard isPlain(label) else { return nil }
            out.append("\"")
            out.write(label)
            out.append("\"")
        } else {
            guard let value = prediction.value, value.isFinite else { return nil }
            out.number(value, trimmingPointZero: true)
        }
        out.append(",\"prediction_id\":\"")
        out.write(id)
        out.append("\"")
        if let probabilities = prediction.probabilities {
            out.append(",\"probabilities\":{")
            for (index, (key, value)) in probabilities.sorted(by: { $0.key < $1.key }).enumerated() {
                guard isPlainKey(key), value.isFinite else { return nil }
                if index > 0 { out.append(",") }
                out.append("\"")
                out.write(key)
                out.append("\":")
                out.number(value, trimmingPointZero: true)
            }
            out.append("}")
        }
        out.append("}")
        return out
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
