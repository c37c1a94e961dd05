import Foundation

/// The body of `POST /admin/faults`, validated field by field.
struct FaultRequest: Decodable {
    var type: String
    var probability: Double?
    var route: String?
    var latencyMs: Double?
    var jitterMs: Double?
    var status: Int?
    var burnMs: Double?
    var model: String?
    var ttl: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, probability, route, status, model, ttl
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", burnMs = "burn_ms"
    }

    /// Longest time-to-live a fault may have; the default is five minutes.
    static let maxTTL: Double = 24 * 3600
    static let defaultTTL: Double = 300

    static func decode(_ data: Data) throws -> FaultRequest {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.badRequest("invalid_json", "body must be a JSON object such as {\"type\":\"errors\",\"probability\":0.1,\"ttl\":\"60s\"}")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.unprocessable("unknown_field", "unknown field '\(unknown)'; expected: \(known.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(FaultRequest.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.unprocessable("missing_field", "field '\(key.stringValue)' is required")
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.unprocessable("invalid_field", "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw APIError.badRequest("invalid_json", "\(error)")
        }
    }

    /// Validates ranges and builds the fault, starting now.
    func fault(now: Double = Date().timeIntervalSince1970) throws -> Fault {
        guard let type = FaultType(rawValue: type) else {
            throw APIError.unprocessable(
                "invalid_field", "field 'type': unknown fault '\(self.type)'; expected one of: \(FaultType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let probability = self.probability ?? 1
        guard (0...1).contains(probability) else { throw APIError.unprocessable("invalid_field", "field 'probability' must be between 0 and 1") }
        let ttl: Double
        if let text = self.ttl {
            guard let seconds = DurationText.seconds(text), seconds > 0, seconds <= Self.maxTTL else {
                throw APIError.unprocessable("invalid_field", "field 'ttl' must be a duration such as 30s, 5m or 1h, at most 24h; got '\(text)'")
            }
            ttl = seconds
        } else {
            ttl = Self.defaultTTL
        }
        if let latencyMs, !(0...60_000).contains(latencyMs) { throw APIError.unprocessable("invalid_field", "field 'latency_ms' must be 0…60000") }
        if let jitterMs, !(0...60_000).contains(jitterMs) { throw APIError.unprocessable("invalid_field", "field 'jitter_ms' must be 0…60000") }
        if let burnMs, !(0...10_000).contains(burnMs) { throw APIError.unprocessable("invalid_field", "field 'burn_ms' must be 0…10000") }
        if let status, !(500...599).contains(status) { throw APIError.unprocessable("invalid_field", "field 'status' must be a 5xx status") }
        switch type {
        case .latency where latencyMs == nil && jitterMs == nil:
            throw APIError.unprocessable("missing_field", "a latency fault needs 'latency_ms' (and optionally 'jitter_ms')")
        case .cpuBurn where burnMs == nil:
            throw APIError.unprocessable("missing_field", "a cpu_burn fault needs 'burn_ms'")
        default:
            break
        }
        if let route, !route.hasPrefix("/"), route != "*" {
            throw APIError.unprocessable("invalid_field", "field 'route' must be a route template starting with '/', e.g. /api/models/{id}/predict")
        }
        return Fault(
            id: Identifiers.make("f"), type: type, probability: probability, route: route, latencyMs: latencyMs,
            jitterMs: jitterMs, status: type == .errors ? (status ?? 500) : status, burnMs: burnMs, model: model,
            createdAt: now, expiresAt: now + ttl)
    }
}

/// Durations written as `250ms`, `30s`, `5m`, `1h` or plain seconds.
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(t)
    }
}
