import AnalyzerCore
import Foundation
import Hummingbird

/// Prediction rows decoded from a request body: one JSON object, an array of them, or CSV.
struct PredictionInput {
    var rows: [[String: FeatureValue]]
    var isBatch: Bool
    var header: [String] = []
    var fields: [[String]] = []
    /// CSV line number of each row (CSV input only).
    var lines: [Int]? = nil

    /// `keys`: the model's column names, when known (see ``FlatJSONRow/parse(_:keys:)``).
    static func json(_ body: ByteBuffer, limits: RequestLimits, keys: [String] = []) throws -> PredictionInput {
        try body.withUnsafeReadableBytes { try limits.checkShape(json: $0) }
        return try json(body, keys: keys)
    }

    static func csv(_ data: Data, limits: RequestLimits) throws -> PredictionInput {
        try data.withUnsafeBytes { bytes in
            try limits.checkColumns(csv: bytes)
            try limits.checkBatchRows(csv: bytes)
        }
        return try csv(data)
    }

    static func json(_ body: ByteBuffer, keys: [String] = []) throws -> PredictionInput {
        // The common case, one flat object, without JSONDecoder (see FlatJSONRow).
        if let row = body.withUnsafeReadableBytes({ FlatJSONRow.parse($0, keys: keys) }) {
            return PredictionInput(rows: [row], isBatch: false)
        }
        let data = Data(buffer: body)
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw AnalyzerError.malformed("empty_body", "request body is empty; send a JSON object of column → value")
        }
        do {
            if first == UInt8(ascii: "[") {
                let rows = try JSONDecoder().decode([[String: FeatureValue]].self, from: data)
                guard !rows.isEmpty else { throw AnalyzerError.invalid("empty_batch", "the array of rows is empty") }
                return PredictionInput(rows: rows, isBatch: true)
            }
            return PredictionInput(rows: [try JSONDecoder().decode([String: FeatureValue].self, from: data)], isBatch: false)
        } catch let error as AnalyzerError {
            throw error
        } catch {
            if let field = nonFiniteField(in: data) {
                throw AnalyzerError.invalid("non_finite", "field '\(field)' is NaN or Infinity; send a finite number or null")
            }
            throw AnalyzerError.malformed("invalid_json", "body is not a JSON object (or array of objects) of column → value" + JSON.shapeProblem(error))
        }
    }

    /// JSON has no NaN/Infinity, but clients send them; name the field instead of a bare parse error.
    static func nonFiniteField(in data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        guard let regex = try? Regex(#""([^"]*)"\s*:\s*[-+]?(NaN|nan|Infinity|inf)"#),
              let match = text.firstMatch(of: regex),
              let field = match.output[1].substring
        else { return nil }
        return String(field)
    }

    static func csv(_ data: Data) throws -> PredictionInput {
        let parsed: (header: [String], rows: [(line: Int, fields: [String])])
        do {
            parsed = try CSVRows.read(data)
        } catch let error as CSVError {
            throw AnalyzerError.invalid(error.code, error.message)
        }
        var rows: [[String: FeatureValue]] = []
        rows.reserveCapacity(parsed.rows.count)
        for row in parsed.rows {
            var values: [String: FeatureValue] = [:]
            for (name, field) in zip(parsed.header, row.fields) {
                values[name] = field.isEmpty ? .missing : .string(field)
            }
            rows.append(values)
        }
        return PredictionInput(rows: rows, isBatch: true, header: parsed.header, fields: parsed.rows.map(\.fields), lines: parsed.rows.map(\.line))
    }

    /// The input CSV with `prediction` (and one `probability_<class>` per class) appended.
    static func csvOutput(header: [String], fields lines: [[String]], predictions: [Prediction], classes: [String]) -> String {
        var out = CSVWriter.line(header + ["prediction"] + classes.map { "probability_\($0)" })
        for (fields, prediction) in zip(lines, predictions) {
            let value = prediction.label ?? prediction.value.map { String($0) } ?? ""
            let probabilities = classes.map { c in prediction.probabilities?[c].map { String($0) } ?? "" }
            out += CSVWriter.line(fields + [value] + probabilities)
        }
        return out
    }
}
