/// The database could not be reached (server stopped, unreachable, out of connections, locked):
/// the request may succeed later. The service answers HTTP 503 `store_unavailable`.
public struct StoreUnavailableError: Error, Sendable, CustomStringConvertible {
    /// The database that failed.
    public let backend: StoreBackend
    /// What went wrong, without credentials, e.g. "no connection to 127.0.0.1:5432 within 2 s".
    public let reason: String
    /// False when the statement certainly never reached the database (no connection could be had);
    /// true when the connection failed while a statement may have been running, so that a write may
    /// have been applied after all.
    public let mayHaveApplied: Bool

    public init(backend: StoreBackend, reason: String, mayHaveApplied: Bool = true) {
        self.backend = backend
        self.reason = reason
        self.mayHaveApplied = mayHaveApplied
    }

    public var description: String { "\(backend) unavailable: \(reason)" }
}
