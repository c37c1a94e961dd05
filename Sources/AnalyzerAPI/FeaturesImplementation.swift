/// Which `generate_features` runs: a deploy-time setting (`--features-impl`), switched by a
/// rolling restart (`POST /admin/workers/restart`).
public enum FeaturesImplementation: String, Sendable, CaseIterable, Codable, Equatable {
    /// Keeps a copy of every feature matrix (the incident's leak).
    case legacy
    /// Converts in place and keeps nothing (the fix).
    case patched
}
