import FiredrillSupport

/// Which way a toxic acts: `upstream` is client → server, `downstream` server → client.
public enum ToxicStream: String, Sendable, Equatable {
    case upstream, downstream
}

/// One toxic as the API describes it: Toxiproxy's fields plus our `ttl`.
public struct ToxicSpec: Sendable, Equatable {
    public var name: String
    public var kind: ToxicKind
    public var stream: ToxicStream
    /// For TCP toxics, the chance that a connection is affected (Toxiproxy's meaning); for HTTP
    /// toxics, the chance that a matching request is.
    public var toxicity: Double
    /// The time to live as written (`30s`), or nil for a toxic that stays until removed.
    public var ttl: String?

    public init(name: String, kind: ToxicKind, stream: ToxicStream = .downstream, toxicity: Double = 1, ttl: String? = nil) {
        self.name = name
        self.kind = kind
        self.stream = stream
        self.toxicity = toxicity
        self.ttl = ttl
    }

    /// The TTL as a duration.
    public var ttlDuration: Duration? { ttl.flatMap(DurationText.duration) }

    /// The API's JSON object for this toxic.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "type": .string(kind.typeName), "stream": .string(stream.rawValue),
            "toxicity": .double(toxicity), "attributes": JSONValue(any: kind.attributes),
        ]
        if let ttl { object["ttl"] = .string(ttl) }
        return .object(object)
    }
}

extension ToxicSpec {
    /// Reads a toxic from the API's JSON (`POST /proxies/{proxy}/toxics`), with Toxiproxy's defaults:
    /// stream `downstream`, toxicity 1, name `<type>_<stream>`. `ttl` may be a field of its own or an
    /// attribute (toxiproxy clients can only send attributes).
    static func parse(_ json: JSONValue) throws -> ToxicSpec {
        guard case .object(let fields) = json else { throw ProxyError.badBody("a toxic must be a JSON object") }
        for key in fields.keys where !["name", "type", "stream", "toxicity", "attributes", "ttl"].contains(key) {
            throw ProxyError.badBody("unknown field '\(key)'" + Suggestion.hint(for: key, in: ["name", "type", "stream", "toxicity", "attributes", "ttl"]))
        }
        let streamText = try string(fields["stream"], "stream") ?? "downstream"
        guard let stream = ToxicStream(rawValue: streamText.lowercased()) else { throw ProxyError.invalidStream }
        guard let type = try string(fields["type"], "type"), !type.isEmpty else {
            throw ProxyError(.badRequest, "invalid toxic type: none given (one of \(ToxicKind.typeNames.joined(separator: ", ")))")
        }
        guard ToxicKind.typeNames.contains(type) else {
            throw ProxyError(.badRequest, "invalid toxic type: '\(type)'" + Suggestion.hint(for: type, in: ToxicKind.typeNames))
        }
        let name = try string(fields["name"], "name").flatMap { $0.isEmpty ? nil : $0 } ?? "\(type)_\(stream.rawValue)"
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ProxyError.badBody("name must not contain control characters")
        }
        var toxicity = 1.0
        if let value = fields["toxicity"] {
            guard let t = value.doubleValue, t >= 0, t <= 1 else { throw ProxyError.badBody("toxicity must be a number from 0 to 1, got \(value.brief)") }
            toxicity = t
        }
        var attributes: [String: JSONValue] = [:]
        if let value = fields["attributes"], value != .null {
            guard case .object(let a) = value else { throw ProxyError.badBody("attributes must be a JSON object, got \(value.brief)") }
            attributes = a
        }
        var ttl = try string(fields["ttl"], "ttl")
        if let attributeTTL = attributes.removeValue(forKey: "ttl") {
            guard let text = attributeTTL.stringValue ?? attributeTTL.doubleValue.map({ "\($0)s" }) else {
                throw ProxyError.badBody("ttl must be a duration such as \"30s\", got \(attributeTTL.brief)")
            }
            ttl = ttl ?? text
        }
        if let ttl, DurationText.duration(ttl).map({ $0 > .zero }) != true {
            throw ProxyError.badBody("ttl must be a positive duration such as \"30s\" or \"5m\", got \"\(ttl)\"")
        }
        var reader = AttributeReader(type: type, attributes: attributes)
        let kind = try reader.kind()
        return ToxicSpec(name: name, kind: kind, stream: stream, toxicity: toxicity, ttl: ttl)
    }

    /// Applies `POST /proxies/{proxy}/toxics/{toxic}` (Toxiproxy's update): attributes and toxicity
    /// change, the rest stays.
    func updated(with json: JSONValue) throws -> ToxicSpec {
        guard case .object(let fields) = json else { throw ProxyError.badBody("a toxic must be a JSON object") }
        var merged: [String: JSONValue] = ["name": .string(name), "type": .string(kind.typeName), "stream": .string(stream.rawValue),
                                           "toxicity": fields["toxicity"] ?? .double(toxicity)]
        var attributes = kind.attributes.mapValues(JSONValue.init(any:))
        if case .object(let given)? = fields["attributes"] { attributes.merge(given) { $1 } }
        merged["attributes"] = .object(attributes)
        if let t = fields["ttl"] ?? ttl.map(JSONValue.string) { merged["ttl"] = t }
        return try ToxicSpec.parse(.object(merged))
    }

    private static func string(_ value: JSONValue?, _ field: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard let s = value.stringValue else { throw ProxyError.badBody("\(field) must be a string, got \(value.brief)") }
        return s
    }
}
