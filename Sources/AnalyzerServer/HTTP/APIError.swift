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
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try JSONEncoder().encode(ErrorBody(code: code, message: message))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
