import Foundation
import Hummingbird

/// Checks a fault's `route` against the service's routes (openapi.json's paths, less those faults
/// never touch): a template that matches none — a typo, `/api/model/{id}/predict` — would make a
/// fault that never fires, so it is refused (422) instead.
enum FaultRoutes {
    /// The documented route templates a fault can apply to.
    static let templates: [String] = {
        guard let document = try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any],
              let paths = document["paths"] as? [String: Any]
        else { return [] }
        return paths.keys.filter { !FaultMiddleware<BasicRequestContext>.exempt($0) }.sorted()
    }()

    /// Throws `invalid_field` naming `route` when it could match no route.
    static func check(_ route: String?) throws {
        guard let route, route != "*", !templates.isEmpty else { return }
        guard !templates.contains(where: { overlaps(route, $0) }) else { return }
        throw AnalyzerError.invalid(
            "invalid_field",
            "field 'route': '\(route)' matches no route a fault applies to, so the fault would never fire; "
                + "use a template such as /api/models/{id}/predict (GET /openapi.json lists the routes)")
    }

    /// Whether some path matches both the fault's `route` (as `RouteTemplate` reads it) and `template`.
    static func overlaps(_ route: String, _ template: String) -> Bool {
        let r = route.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
        let t = template.split(separator: "/")
        func any(_ segment: Substring) -> Bool { segment == "*" || (segment.hasPrefix("{") && segment.hasSuffix("}")) }
        func compatible(_ pair: (Substring, Substring)) -> Bool { any(pair.0) || any(pair.1) || pair.0 == pair.1 }
        if r.last == "**" { return t.count >= r.count - 1 && zip(r.dropLast(), t).allSatisfy(compatible) }
        return r.count == t.count && zip(r, t).allSatisfy(compatible)
    }
}
