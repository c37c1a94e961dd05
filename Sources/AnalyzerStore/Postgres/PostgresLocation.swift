import Foundation

/// A PostgreSQL server and database, parsed from `postgres://user:password@host:port/database?…`.
///
/// Query parameters: `sslmode` (`disable`, `prefer` (default), `require`), `host` (a directory holding
/// the server's unix socket, libpq-style, instead of TCP), `pool_max` (connections per process, default
/// 10), `connect_timeout` (seconds, default 5), `lease_timeout` (seconds a query waits for a pooled
/// connection before the store reports itself unavailable, default 3), `application_name`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How to use TLS.
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    /// A unix-domain socket path (`DIR/.s.PGSQL.PORT`) used instead of TCP, when set.
    public var unixSocketPath: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tls = TLSMode.prefer
    public var maximumConnections = 10
    public var connectTimeoutSeconds = 5.0
    public var leaseTimeoutSeconds = 3.0
    public var applicationName = "csv-analyzer"

    /// Parses `postgres://` or `postgresql://` URLs; percent-escapes in the user, password and database are decoded.
    public init(parsing text: String) throws(StoreLocationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreLocationError("'\(Self.redacted(text))' is not a postgres:// URL (are special characters in the password percent-encoded?)")
        }
        var queryHost: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw StoreLocationError("sslmode '\(value)' is not one of disable, prefer, require")
                }
                tls = mode
            case "host":
                queryHost = value
            case "pool_max":
                guard let n = Int(value), n >= 1 else { throw StoreLocationError("pool_max '\(value)' is not a positive integer") }
                maximumConnections = n
            case "connect_timeout":
                guard let s = Double(value), s > 0 else { throw StoreLocationError("connect_timeout '\(value)' is not a positive number of seconds") }
                connectTimeoutSeconds = s
            case "lease_timeout":
                guard let s = Double(value), s > 0 else { throw StoreLocationError("lease_timeout '\(value)' is not a positive number of seconds") }
                leaseTimeoutSeconds = s
            case "application_name":
                applicationName = value
            default:
                throw StoreLocationError(
                    "unknown parameter '\(item.name)' (known: sslmode, host, pool_max, connect_timeout, lease_timeout, application_name)")
            }
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw StoreLocationError("port \(port) is out of range") }
        var host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let queryHost, queryHost.hasPrefix("/") {
            unixSocketPath = (queryHost as NSString).appendingPathComponent(".s.PGSQL.\(port)")
        } else if let queryHost, !queryHost.isEmpty, host.isEmpty {
            host = queryHost
        }
        if host.isEmpty && unixSocketPath == nil {
            throw StoreLocationError("no host in '\(Self.redacted(text))'")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw StoreLocationError("no user name in '\(Self.redacted(text))' (postgres://USER:PASSWORD@HOST…)")
        }
        var database = String(components.percentEncodedPath.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        if database.contains("/") { throw StoreLocationError("database name '\(database)' contains '/'") }
        if database.isEmpty { database = user }
        self.host = host.isEmpty ? "localhost" : host
        self.port = port
        self.username = user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.database = database
    }

    /// `host:port`, or the socket path: what error messages name.
    public var endpoint: String {
        unixSocketPath ?? (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let credentials = username + (password == nil ? "" : ":***")
        let hostPart = unixSocketPath == nil ? endpoint : ""
        var query: [String] = []
        if let unixSocketPath { query.append("host=\((unixSocketPath as NSString).deletingLastPathComponent)") }
        if tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        let port = unixSocketPath == nil ? "" : ":\(self.port)"
        return "postgres://\(credentials)@\(hostPart)\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// `text` with anything between `://user:` and `@` masked.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text.range(of: "@", options: .backwards) ,
            at.lowerBound > schemeEnd.upperBound,
            let colon = text[schemeEnd.upperBound..<at.lowerBound].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at.lowerBound...])
    }
}
