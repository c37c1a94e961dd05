import AnalyzerAPI
import FiredrillRouting
import Foundation
import Hummingbird

/// An error a client caused (or a server fault), rendered as `{"error":{"code","message"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// Stable machine-readable code, snake_case.
    public let code: String
    /// Human message naming the field, column, line or id at fault.
    public let message: String
    /// Extra response headers, such as a 405's `Allow`.
    public var headers = HTTPFields()

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: responseHeaders, body: .init(byteBuffer: try body()))
    }

    /// The headers of the answer: ``headers`` and the JSON content type.
    var responseHeaders: HTTPFields {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return headers
    }

    /// `{"error":{"code","message"}}`.
    func body() throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(ErrorBody(code: code, message: message)))
    }
}

extension APIError {
    /// A request no route takes: 404 `route_not_found` (pointing at `/openapi.json`), or 405
    /// `method_not_allowed` with `Allow`.
    init(_ unmatched: UnmatchedRoute) {
        let hint = unmatched.allow == nil ? "; see /openapi.json" : ""
        self.init(unmatched.status, code: unmatched.code, unmatched.message + hint)
        if let allow = unmatched.allow { headers[.allow] = allow }
    }
}
