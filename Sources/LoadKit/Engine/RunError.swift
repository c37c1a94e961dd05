/// A run that could not start or failed as a whole.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// The target did not accept a connection.
    case unreachable(origin: String, cause: String)
    /// The run was already started.
    case alreadyStarted
    /// Anything else.
    case failed(String)

    public var description: String {
        switch self {
        case .unreachable(let o, let c): return "cannot connect to \(o): \(c)"
        case .alreadyStarted: return "the run was already started"
        case .failed(let m): return m
        }
    }
}
