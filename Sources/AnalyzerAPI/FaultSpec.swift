import FiredrillSupport
import Foundation

/// The body of `POST /admin/faults`: what to inject, where, and for how long. The service
/// validates it with ``validate()``; a harness can run the same check before sending it.
public struct FaultSpec: Codable, Sendable, Equatable {
    /// What to inject.
    public var type: FaultType
    /// Chance that a matching request is affected, 0…1; default 1.
    public var probability: Double?
    /// Route template starting with `/` (`/api/models/{id}/predict`), or `*`; nil = every route.
    public var route: String?
    /// Added latency of a `latency` fault, 0…60000 ms.
    public var latencyMs: Double?
    /// Random ± jitter of a `latency` fault, 0…60000 ms.
    public var jitterMs: Double?
    /// HTTP status of an `errors` fault, 5xx; default 500.
    public var status: Int?
    /// CPU burnt per request by a `cpu_burn` fault, 0…10000 ms.
    public var burnMs: Double?
    /// Model id of a `model_degrade` fault; nil = every model.
    public var model: String?
    /// Time to live, a duration such as `90s`, `5m` or `1h30m` (at most 24h); default 5 minutes.
    public var ttl: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, probability, route, status, model, ttl
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", burnMs = "burn_ms"
    }

    /// Longest time-to-live a fault may have (seconds).
    public static let maxTTL: Double = 24 * 3600
    /// Time-to-live of a fault that states none (seconds).
    public static let defaultTTL: Double = 300

    /// A spec with only the fields to send set.
    public init(
        type: FaultType, probability: Double? = nil, route: String? = nil, latencyMs: Double? = nil, jitterMs: Double? = nil,
        status: Int? = nil, burnMs: Double? = nil, model: String? = nil, ttl: String? = nil
    ) {
        self.type = type
        self.probability = probability
        self.route = route
        self.latencyMs = latencyMs
        self.jitterMs = jitterMs
        self.status = status
        self.burnMs = burnMs
        self.model = model
        self.ttl = ttl
    }

    /// Decodes a request body: a JSON object with known fields of the right types.
    public static func decode(_ data: Data) throws(RequestBodyError) -> FaultSpec {
        guard let object = RequestBody.object(data) else {
            throw RequestBodyError(
                .invalidJSON, field: nil, "body must be a JSON object such as {\"type\":\"errors\",\"probability\":0.1,\"ttl\":\"60s\"}")
        }
        let known = CodingKeys.allCases.map(\.rawValue).sorted()
        try RequestBody.rejectUnknown(object, known: known, expected: known.joined(separator: ", "))
        return try RequestBody.decode(FaultSpec.self, from: data)
    }

    /// The time-to-live in seconds (``defaultTTL`` when none is given).
    public func ttlSeconds() throws(RequestBodyError) -> Double {
        guard let ttl else { return Self.defaultTTL }
        guard let seconds = DurationText.seconds(ttl), seconds > 0, seconds <= Self.maxTTL else {
            throw .invalid("ttl", "field 'ttl' must be a duration such as 30s, 5m or 1h, at most 24h; got '\(ttl)'")
        }
        return seconds
    }

    /// Checks ranges and the fields each type needs; every error names its field.
    public func validate() throws(RequestBodyError) {
        guard (0...1).contains(probability ?? 1) else { throw .invalid("probability", "field 'probability' must be between 0 and 1") }
        _ = try ttlSeconds()
        if let latencyMs, !(0...60_000).contains(latencyMs) { throw .invalid("latency_ms", "field 'latency_ms' must be 0…60000") }
        if let jitterMs, !(0...60_000).contains(jitterMs) { throw .invalid("jitter_ms", "field 'jitter_ms' must be 0…60000") }
        if let burnMs, !(0...10_000).contains(burnMs) { throw .invalid("burn_ms", "field 'burn_ms' must be 0…10000") }
        if let status, !(500...599).contains(status) { throw .invalid("status", "field 'status' must be a 5xx status") }
        switch type {
        case .latency where latencyMs == nil && jitterMs == nil:
            throw .missing("latency_ms", "a latency fault needs 'latency_ms' (and optionally 'jitter_ms')")
        case .cpuBurn where burnMs == nil:
            throw .missing("burn_ms", "a cpu_burn fault needs 'burn_ms'")
        default:
            break
        }
        if let route, !route.hasPrefix("/"), route != "*" {
            throw .invalid("route", "field 'route' must be a route template starting with '/', e.g. /api/models/{id}/predict")
        }
    }

    /// Validates the spec and builds the fault it injects, starting at `now` (Unix seconds).
    public func makeFault(id: String, now: Double = Date().timeIntervalSince1970) throws(RequestBodyError) -> ActiveFault {
        try validate()
        var applied = self
        applied.probability = probability ?? 1
        applied.status = type == .errors ? (status ?? 500) : status
        applied.ttl = nil
        return ActiveFault(id: id, spec: applied, createdAt: now, expiresAt: now + (try ttlSeconds()))
    }
}
