import Foundation

/// JSON helpers for values stored as text and for API bodies (snake_case keys come from the
/// types' own CodingKeys).
enum JSON {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// A request body that must be a JSON object; `expected` says which. A syntax error or an
    /// unrepresentable number is 400 `invalid_json` saying what the parser found and where.
    static func object(_ data: Data, expected: String) throws -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey].map { " (\($0))" } ?? ""
            throw AnalyzerError.malformed("invalid_json", "body is not valid JSON\(detail); \(expected)")
        }
        guard let object = parsed as? [String: Any] else { throw AnalyzerError.malformed("invalid_json", expected) }
        return object
    }

    /// Where a JSONDecoder failure lies: ": array element 2, field 'x' is not a number, string,
    /// boolean or null"; empty when the decoder names no place (a syntax error).
    static func shapeProblem(_ error: any Error) -> String {
        let path: [any CodingKey]
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            path = context.codingPath
        default:
            return ""
        }
        guard let last = path.last else { return "" }
        let place = path.map { key in key.intValue.map { "array element \($0)" } ?? "field '\(key.stringValue)'" }
            .joined(separator: ", ")
        return last.intValue == nil
            ? ": \(place) is not a number, string, boolean or null (a number must fit a double)"
            : ": \(place) is not a JSON object"
    }
}

