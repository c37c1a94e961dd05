/// An admin request body the service refuses, naming the field at fault. The service answers it
/// as `{"error":{"code","message"}}` with HTTP 400 (`invalid_json`) or 422 (the others).
public struct RequestBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong; the raw value is the error body's `code`.
    public enum Kind: String, Sendable, Equatable {
        /// Not a JSON object (HTTP 400).
        case invalidJSON = "invalid_json"
        /// A field the request does not know.
        case unknownField = "unknown_field"
        /// A required field is absent.
        case missingField = "missing_field"
        /// A field has the wrong type or value.
        case invalidField = "invalid_field"
    }

    public let kind: Kind
    /// The field at fault (snake_case, as on the wire); nil only for `invalidJSON`.
    public let field: String?
    /// A message naming the field and what it accepts.
    public let message: String

    /// An error of `kind` about `field` (nil only for `invalidJSON`).
    public init(_ kind: Kind, field: String?, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// The error body's `code`.
    public var code: String { kind.rawValue }
    public var description: String { message }

    static func invalid(_ field: String, _ message: String) -> RequestBodyError { .init(.invalidField, field: field, message) }
    static func missing(_ field: String, _ message: String) -> RequestBodyError { .init(.missingField, field: field, message) }
}
