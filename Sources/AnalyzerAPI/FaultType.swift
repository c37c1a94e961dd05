/// The kinds of fault the admin API can inject (`type` of `POST /admin/faults`).
public enum FaultType: String, Codable, Sendable, CaseIterable, Equatable {
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

extension FaultType {
    /// `unknown fault 'NAME'; expected one of: …`, for every surface that names a fault type.
    public static func unknownMessage(_ name: String) -> String {
        "unknown fault '\(name)'; expected one of: \(allCases.map(\.rawValue).joined(separator: ", "))"
    }

    /// Decodes the raw value; an unknown one throws a ``RequestBodyError`` naming `type`.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let type = FaultType(rawValue: name) else {
            throw RequestBodyError.invalid("type", "field 'type': " + Self.unknownMessage(name))
        }
        self = type
    }
}
