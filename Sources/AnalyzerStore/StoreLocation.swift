import Foundation

/// Where the store lives, parsed from `--database-url`:
///
/// - `sqlite:PATH` (also `sqlite://PATH`, `sqlite:///absolute/path`, `sqlite::memory:`), the embedded default;
/// - `postgres://user:password@host:port/database?sslmode=disable` (or `postgresql://…`), a PostgreSQL server.
///
/// ``description`` never shows the password.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file (`:memory:` for a private in-memory database).
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresLocation)

    /// Parses a database URL; the error names the part that is wrong and shows the accepted forms.
    public init(parsing text: String) throws(StoreLocationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw StoreLocationError("the database URL is empty") }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw StoreLocationError("'\(trimmed)' has no scheme")
        }
        let scheme = trimmed[..<colon].lowercased()
        switch scheme {
        case "sqlite", "sqlite3":
            var path = String(trimmed[trimmed.index(after: colon)...])
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw StoreLocationError("sqlite: needs a file path, e.g. sqlite:data/csv-analyzer.sqlite") }
            self = .sqlite(path: path)
        case "postgres", "postgresql":
            self = .postgres(try PostgresLocation(parsing: trimmed))
        default:
            throw StoreLocationError("unsupported scheme '\(scheme)'")
        }
    }

    /// The back-end this location selects.
    public var backend: StoreBackend {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgresql
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}

/// A database URL that cannot be used; the message says why and shows the accepted forms.
public struct StoreLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the URL.
    public let message: String

    public init(_ problem: String) {
        message = "invalid database URL: \(problem) (expected sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE)"
    }

    public var description: String { message }
}
