import Hummingbird

/// Answers a request no route takes: a path some route has, with another method, is 405
/// `method_not_allowed` with an `Allow` header; any other path is 404 `route_not_found`. Both are
/// JSON, where the router's own answer is an empty 404. Added last, after every route, so it sees
/// only the router's not-found.
struct UnmatchedRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route's path and methods, from `Router.routes` once all are registered.
    private let routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]

    init(routes descriptions: [Router<Context>.RouteDescription]) {
        var byPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in descriptions {
            byPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        routes = Array(byPath.values)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let path = request.uri.path
            var allowed = allowedMethods(path)
            guard !allowed.isEmpty else {
                throw APIError(.notFound, code: "route_not_found", "no route for \(request.method) \(path); see /openapi.json")
            }
            if allowed.contains(.get) { allowed.insert(.head) }
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            var refusal = APIError(.methodNotAllowed, code: "method_not_allowed", "\(path) does not take \(request.method); it takes \(allow)")
            refusal.headers[.allow] = allow
            throw refusal
        }
    }

    /// The methods of the routes whose path matches `path`.
    func allowedMethods(_ path: String) -> Set<HTTPRequest.Method> {
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
