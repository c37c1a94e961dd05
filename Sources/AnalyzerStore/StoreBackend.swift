/// The database behind a ``Store``.
public enum StoreBackend: String, Sendable, CustomStringConvertible {
    /// One embedded SQLite file (the default).
    case sqlite
    /// A PostgreSQL server reached through postgres-nio's connection pool.
    case postgresql

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgresql: "PostgreSQL"
        }
    }
}
