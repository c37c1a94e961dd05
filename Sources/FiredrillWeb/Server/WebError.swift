import Foundation
import Hummingbird

/// A request the web UI refuses: a 4xx answered in Locust's shape (`success: false`, `message`) plus the
/// project's error body (`error.code`, `error.message`, `error.field`).
public struct WebError: Error, Sendable, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Machine-readable code (`invalid_field`, `unreachable`, `conflict`, …).
    public var code: String
    /// The form field at fault, when there is one.
    public var field: String?
    /// What went wrong, for a person.
    public var message: String

    /// An error.
    public init(_ status: HTTPResponse.Status, code: String, field: String? = nil, message: String) {
        self.status = status
        self.code = code
        self.field = field
        self.message = message
    }

    /// A 400 naming `field`.
    static func field(_ field: String, _ message: String) -> WebError {
        WebError(.badRequest, code: "invalid_field", field: field, message: "\(field): \(message)")
    }

    public var description: String { message }

    struct Body: Encodable {
        struct Detail: Encodable { var code: String; var message: String; var field: String? }
        var success = false
        var message: String
        var host: String?
        var error: Detail
    }

    /// The JSON answer; `host` is echoed as Locust does.
    func response(host: String?) -> Response {
        let body = Body(message: message, host: host, error: .init(code: code, message: message, field: field))
        return WebResponses.json(body, status: status)
    }
}
