import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

/// The PostgreSQL back-end: ``SQLStore`` over a postgres-nio `PostgresClient` connection pool
/// (async, reconnects by itself with backoff after the server comes back).
public enum PostgresStore {
    /// Connects to `location`, checks that the server answers (the error names the cause: refused,
    /// authentication, unknown database…), starts the pool and, unless `migrate` is false, applies
    /// pending migrations.
    public static func open(
        _ location: PostgresLocation, migrate: Bool = true, logger: Logger = Logger(label: "csv-analyzer.store")
    ) async throws -> SQLStore {
        let endpoint = location.endpoint
        try await probe(location, logger: logger)

        var configuration = try PostgresClient.Configuration(location: location)
        configuration.options.maximumConnections = location.maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .milliseconds(Int64(location.connectTimeoutSeconds * 1000))
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(15))
        configuration.options.additionalStartupParameters = [("application_name", location.applicationName)]

        let group = MultiThreadedEventLoopGroup.singleton
        let client = PostgresClient(configuration: configuration, eventLoopGroup: group, backgroundLogger: logger)
        // Detached: the pool must not inherit a service group's graceful-shutdown signal; it stops
        // when the store closes, after trainings have finished.
        let runner = Task.detached { await client.run() }
        let db = PostgresPoolDatabase(
            client: client, logger: logger, eventLoop: group.any(), endpoint: endpoint,
            leaseTimeout: .milliseconds(Int64(location.leaseTimeoutSeconds * 1000)))
        let store = SQLStore(
            db: db, backend: .postgresql,
            unavailableReason: { error in unavailableReason(error, endpoint: endpoint) },
            onClose: {
                runner.cancel()
                await runner.value
            })
        return try await store.migrated(migrate)
    }

    /// One direct connection, closed at once: fails fast, with the real cause, when the server is
    /// down or refuses us (the pool would only queue requests while it retries).
    static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        var configuration = try PostgresConnection.Configuration(location: location)
        configuration.options.connectTimeout = .milliseconds(Int64(location.connectTimeoutSeconds * 1000))
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            let reason = describe(error)
            if unavailableReason(error, endpoint: location.endpoint) != nil {
                throw StoreUnavailableError(backend: .postgresql, reason: "cannot connect to \(location.endpoint): \(reason)")
            }
            throw StoreUnavailableError(backend: .postgresql, reason: "connecting to \(location.endpoint) as '\(location.username)' failed: \(reason)")
        }
    }

    /// SQLSTATE classes and codes that mean "the server cannot serve us now": connection exceptions
    /// (08), insufficient resources (53: too many connections, disk full), operator intervention
    /// (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), invalid authorization (28).
    static func isUnavailableSQLState(_ state: String) -> Bool {
        state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("28") || state.hasPrefix("3D")
            || ["57P01", "57P02", "57P03", "57P04", "57P05"].contains(state)
    }

    /// Why `error` means that PostgreSQL cannot be reached, or nil when it is some other error
    /// (a constraint violation, a bad query…).
    static func unavailableReason(_ error: any Error, endpoint: String) -> String? {
        switch error {
        case let error as PostgresPoolDatabase.LeaseTimeout:
            return error.description
        case let error as PSQLError:
            if error.code == .server {
                guard let state = error.serverInfo?[.sqlState], isUnavailableSQLState(state) else { return nil }
                return "\(endpoint): \(describe(error))"
            }
            let unavailable: Set<PSQLError.Code> = [
                .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                .sslUnsupported, .failedToAddSSLHandler, .queryCancelled,
            ]
            return unavailable.contains(error.code) ? "\(endpoint): \(describe(error))" : nil
        case is IOError, is ChannelError, is NIOConnectionError:
            return "\(endpoint): \(error)"
        default:
            // postgres-nio's pool errors (`_ConnectionPoolModule.ConnectionPoolError`: circuit breaker
            // tripped, pool shut down) are not re-exported; recognise them by type name.
            if String(describing: type(of: error)) == "ConnectionPoolError" { return "\(endpoint): connection pool: \(error)" }
            return nil
        }
    }

    /// A short human description of a postgres-nio error (its `description` hides the details).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
