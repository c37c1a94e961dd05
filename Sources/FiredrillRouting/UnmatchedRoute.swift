import Hummingbird

/// A request no route takes, as ``UnmatchedRouteMiddleware`` found it: a path some route has, asked
/// with another method (405 with `Allow`), or a path no route has (404).
public struct UnmatchedRoute: Sendable {
    /// The request's method.
    public let method: HTTPRequest.Method
    /// The request's path.
    public let path: String
    /// The methods the path's routes take, HEAD wherever GET is; empty when no route has the path.
    public let allowed: Set<HTTPRequest.Method>

    /// 405 when the path has routes, 404 when it has none.
    public var status: HTTPResponse.Status { allowed.isEmpty ? .notFound : .methodNotAllowed }
    /// `method_not_allowed` or `route_not_found`.
    public var code: String { allowed.isEmpty ? "route_not_found" : "method_not_allowed" }
    /// The `Allow` header of a 405 (`GET, HEAD, POST`); nil for a 404.
    public var allow: String? { allowed.isEmpty ? nil : allowed.map(\.rawValue).sorted().joined(separator: ", ") }

    /// What is wrong, naming the path (and for a 405 the methods it takes).
    public var message: String {
        guard let allow else { return "no route for \(method) \(path)" }
        return "\(path) does not take \(method); it takes \(allow)"
    }
}
