import NIOSSL
import PostgresNIO

/// postgres-nio's two configurations, the pool's (`PostgresClient.Configuration`) and a single
/// connection's (`PostgresConnection.Configuration`): distinct types with the same initialisers.
/// ``init(location:)`` builds either from a ``PostgresLocation`` in one place.
protocol PostgresLocationConfiguration {
    associatedtype TLS
    init(host: String, port: Int, username: String, password: String?, database: String?, tls: TLS)
    init(unixSocketPath: String, username: String, password: String?, database: String?)
    /// The TLS setting for `mode`.
    static func tls(_ mode: PostgresLocation.TLSMode) throws -> TLS
}

extension PostgresLocationConfiguration {
    /// Reaches `location` through its unix socket when it names one, else over TCP with its TLS mode.
    init(location: PostgresLocation) throws {
        if let socket = location.unixSocketPath {
            self.init(unixSocketPath: socket, username: location.username, password: location.password, database: location.database)
        } else {
            self.init(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: try Self.tls(location.tls))
        }
    }
}

extension PostgresClient.Configuration: PostgresLocationConfiguration {
    static func tls(_ mode: PostgresLocation.TLSMode) throws -> TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }
}

extension PostgresConnection.Configuration: PostgresLocationConfiguration {
    static func tls(_ mode: PostgresLocation.TLSMode) throws -> TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
