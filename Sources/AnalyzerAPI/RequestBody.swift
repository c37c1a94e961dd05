import Foundation

/// Reading admin request bodies the way the service always has: a JSON object whose unknown
/// fields are refused by name before anything is decoded.
enum RequestBody {
    /// The body as a JSON object; nil when it is not one.
    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Throws `unknown_field` for the first key (sorted) not in `known`.
    static func rejectUnknown(_ object: [String: Any], known: [String], expected: String) throws(RequestBodyError) {
        let known = Set(known)
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw RequestBodyError(.unknownField, field: unknown, "unknown field '\(unknown)'; expected: \(expected)")
        }
    }

    /// Decodes `T`, turning decoding failures into field-named errors.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(RequestBodyError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as RequestBodyError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw .missing(key.stringValue, "field '\(key.stringValue)' is required")
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalid(field, "field '\(field)' has the wrong type")
        } catch {
            throw RequestBodyError(.invalidJSON, field: nil, "\(error)")
        }
    }
}
