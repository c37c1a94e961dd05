import Foundation

/// The kinds of fault the admin API can inject.
enum FaultType: String, Codable, Sendable, CaseIterable {
    /// Switch `generate_features` to the leaking legacy implementation.
    case featureLeak = "feature_leak"
    /// Delay responses by a fixed time plus jitter.
    case latency
    /// Answer with an HTTP 5xx.
    case errors
    /// Burn CPU for a while on each request.
    case cpuBurn = "cpu_burn"
    /// Abort the worker process that handles the request.
    case workerCrash = "worker_crash"
    /// Replace a model's predictions with noise.
    case modelDegrade = "model_degrade"
}

/// One injected fault. Every fault expires on its own (`expiresAt`).
struct Fault: Codable, Sendable, Equatable {
    var id: String
    var type: FaultType
    /// Chance that a matching request is affected, 0…1.
    var probability: Double
    /// Route template (`/api/models/{id}/predict`, `*` for a segment); nil = every route.
    var route: String?
    var latencyMs: Double?
    var jitterMs: Double?
    var status: Int?
    var burnMs: Double?
    /// Model id for `model_degrade`; nil = every model.
    var model: String?
    var createdAt: Double
    var expiresAt: Double

    enum CodingKeys: String, CodingKey {
        case id, type, probability, route, status, model
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", burnMs = "burn_ms"
        case createdAt = "created_at", expiresAt = "expires_at"
    }

    /// Whether the fault applies to a request path.
    func matches(path: String) -> Bool {
        guard let route, route != "*" else { return true }
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
