/// The stage a run is in.
public enum RunPhase: String, Sendable, Codable {
    case starting, spawning, running, stopping, stopped
}
