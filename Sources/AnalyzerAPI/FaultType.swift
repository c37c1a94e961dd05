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
