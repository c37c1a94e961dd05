/// One injected fault as the service lists it (`GET /admin/faults`, the answer to
/// `POST /admin/faults`): the spec's fields with its defaults applied, plus `id`, `created_at`
/// and `expires_at`, all at the top level of the JSON object. Every fault expires on its own.
/// The spec's fields read through (`fault.type`, `fault.route`, `fault.latencyMs`, …).
@dynamicMemberLookup
public struct ActiveFault: Codable, Sendable, Equatable {
    /// The service's id of the fault (`DELETE /admin/faults/{id}`).
    public var id: String
    /// What was injected: `probability` always set, an `errors` fault's `status` too; no `ttl`.
    public var spec: FaultSpec
    /// Unix time (seconds) the fault was injected.
    public var createdAt: Double
    /// Unix time (seconds) the fault stops applying.
    public var expiresAt: Double

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at", expiresAt = "expires_at"
    }

    /// Chance that a matching request is affected, 0…1.
    public var probability: Double { spec.probability ?? 1 }

    /// The spec's fields, read through (`fault.type`, `fault.route`, …).
    public subscript<T>(dynamicMember keyPath: KeyPath<FaultSpec, T>) -> T { spec[keyPath: keyPath] }

    /// A fault injected from `spec` (with its defaults applied).
    public init(id: String, spec: FaultSpec, createdAt: Double, expiresAt: Double) {
        self.id = id
        self.spec = spec
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// A fault given field by field.
    public init(
        id: String, type: FaultType, probability: Double, route: String? = nil, latencyMs: Double? = nil,
        jitterMs: Double? = nil, status: Int? = nil, burnMs: Double? = nil, model: String? = nil,
        createdAt: Double, expiresAt: Double
    ) {
        let spec = FaultSpec(
            type: type, probability: probability, route: route, latencyMs: latencyMs, jitterMs: jitterMs, status: status,
            burnMs: burnMs, model: model)
        self.init(id: id, spec: spec, createdAt: createdAt, expiresAt: expiresAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        spec = try FaultSpec(from: decoder)
        createdAt = try container.decode(Double.self, forKey: .createdAt)
        expiresAt = try container.decode(Double.self, forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try spec.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
    }
}

/// The body of `GET /admin/faults`: `{"faults": [...]}`.
public struct FaultList: Codable, Sendable, Equatable {
    public var faults: [ActiveFault]

    public init(faults: [ActiveFault]) { self.faults = faults }
}
