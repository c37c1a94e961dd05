/// Lifecycle of a model: training off the request path, then ready or failed.
public enum ModelStatus: String, Codable, Sendable {
    case training, ready, failed
}
