/// One injected fault as the service lists it (`GET /admin/faults`, the answer to
/// `POST /admin/faults`). Every fault expires on its own (`expiresAt`).
public struct ActiveFault: Codable, Sendable, Equatable {
    /// The service's id of the fault (`DELETE /admin/faults/{id}`).
    public var id: String
    public var type: FaultType
    /// Chance that a matching request is affected, 0…1.
    public var probability: Double
    /// Route template (`/api/models/{id}/predict`, `*` for a segment); nil = every route.
    public var route: String?
    public var latencyMs: Double?
    public var jitterMs: Double?
    /// The 5xx status of an `errors` fault.
    public var status: Int?
    public var burnMs: Double?
    /// Model id for `model_degrade`; nil = every model.
    public var model: String?
    /// Unix time (seconds) the fault was injected.
    public var createdAt: Double
    /// Unix time (seconds) the fault stops applying.
    public var expiresAt: Double

    enum CodingKeys: String, CodingKey {
        case id, type, probability, route, status, model
        case latencyMs = "latency_ms", jitterMs = "jitter_ms", burnMs = "burn_ms"
        case createdAt = "created_at", expiresAt = "expires_at"
    }

    public init(
        id: String, type: FaultType, probability: Double, route: String? = nil, latencyMs: Double? = nil,
        jitterMs: Double? = nil, status: Int? = nil, burnMs: Double? = nil, model: String? = nil,
        createdAt: Double, expiresAt: Double
    ) {
        self.id = id
        self.type = type
        self.probability = probability
        self.route = route
        self.latencyMs = latencyMs
        self.jitterMs = jitterMs
        self.status = status
        self.burnMs = burnMs
        self.model = model
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The body of `GET /admin/faults`: `{"faults": [...]}`.
public struct FaultList: Codable, Sendable, Equatable {
    public var faults: [ActiveFault]

    public init(faults: [ActiveFault]) { self.faults = faults }
}
