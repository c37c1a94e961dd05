import AnalyzerAPI

extension ActiveFault {
    /// Whether the fault applies to a request path.
    func matches(path: String) -> Bool {
        guard let route = spec.route, route != "*" else { return true }
        return RouteTemplate.matches(template: route, path: path)
    }

    /// Draws whether this request is affected.
    func fires() -> Bool { probability >= 1 || Double.random(in: 0..<1) < probability }
}

/// Matches request paths against route templates such as `/api/models/{id}/predict`.
enum RouteTemplate {
    static func matches(template: String, path: String) -> Bool {
        let t = template.split(separator: "/", omittingEmptySubsequences: true)
        let p = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/", omittingEmptySubsequences: true) } ?? []
        if t.last == "**" { return zip(t.dropLast(), p).allSatisfy(segmentMatches) && p.count >= t.count - 1 }
        return t.count == p.count && zip(t, p).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pair: (Substring, Substring)) -> Bool {
        let (t, p) = pair
        return t == "*" || (t.hasPrefix("{") && t.hasSuffix("}")) || t == p
    }
}
