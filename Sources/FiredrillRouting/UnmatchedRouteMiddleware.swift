import Hummingbird

/// Answers a request no route takes: a path some route has, with another method, is a 405 (with an
/// `Allow` header), any other path a 404, each in the server's own error shape (`answer`), where the
/// router's own answer is an empty 404. Added last, after every route, so it sees only the router's
/// not-found. Used by csv-analyzer and by the web UI of `firedrill load --web`/`drill --web`.
public struct UnmatchedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route's path and methods, from `Router.routes` once all are registered.
    private let routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]
    /// The server's answer (or error) for an unmatched request; it sets `Allow` from ``UnmatchedRoute/allow``.
    private let answer: @Sendable (UnmatchedRoute) throws -> Response

    /// Matches against `descriptions` (the router's `routes`); `answer` renders the refusal.
    public init(routes descriptions: [Router<Context>.RouteDescription], answer: @escaping @Sendable (UnmatchedRoute) throws -> Response) {
        var byPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in descriptions {
            byPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        routes = Array(byPath.values)
        self.answer = answer
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let path = request.uri.path
            var allowed = allowedMethods(path)
            if allowed.contains(.get) { allowed.insert(.head) }
            return try answer(UnmatchedRoute(method: request.method, path: path, allowed: allowed))
        }
    }

    /// The methods of the routes whose path matches `path`.
    public func allowedMethods(_ path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: Set<HTTPRequest.Method> = []
        for route in routes where Self.matches(route.path, segments) { methods.formUnion(route.methods) }
        return methods
    }

    private static func matches(_ route: RouterPath, _ segments: [Substring]) -> Bool {
        for (index, component) in route.components.enumerated() {
            if component.description == "**" { return true }
            guard index < segments.count, component ~= segments[index] else { return false }
        }
        return route.components.count == segments.count
    }
}
