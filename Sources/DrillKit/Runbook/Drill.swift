/// A drill, as written in a runbook's fenced ```` ```drill ```` block (Chaos Toolkit's shape:
/// steady-state hypothesis, method, rollbacks). See runbooks/README.md, "Drill blocks".
public struct Drill: Sendable, Equatable {
    /// The drill's title.
    public var title: String
    /// Variables after CLI overrides; `${name}` in any value was replaced by them.
    public var variables: [String: String]
    /// Wall-clock seconds per incident second (e.g. 1/30); 1 when not given.
    public var timeScale: Double
    /// Probes checked before the method and again after it.
    public var steadyState: [Probe]
    /// The experiment's steps, in order.
    public var method: [Step]
    /// Steps that always run at the end, even when the method failed.
    public var rollbacks: [Step]

    /// Creates a drill.
    public init(title: String, variables: [String: String] = [:], timeScale: Double = 1,
                steadyState: [Probe] = [], method: [Step], rollbacks: [Step] = []) {
        self.title = title
        self.variables = variables
        self.timeScale = timeScale
        self.steadyState = steadyState
        self.method = method
        self.rollbacks = rollbacks
    }
}
