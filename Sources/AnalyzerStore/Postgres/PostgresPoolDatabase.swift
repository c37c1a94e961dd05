import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// SQLKit's `SQLDatabase` over postgres-nio's pooled `PostgresClient`: each query leases a pooled
/// connection and runs through postgres-kit's SQL layer on it; `withSession` keeps one connection
/// for a whole transaction.
///
/// A lease waits at most `leaseTimeout` for a connection (PostgresClient would otherwise queue the
/// request until its 60 s circuit breaker trips), then fails with ``LeaseTimeout``. After a failed
/// lease the database counts as degraded and later leases wait only `degradedLeaseTimeout`, so that
/// requests fail fast while the server is down; the pool keeps reconnecting in the background and
/// the first successful lease clears the state.
struct PostgresPoolDatabase: SQLDatabase {
    let client: PostgresClient
    let logger: Logger
    let eventLoop: any EventLoop
    let leaseTimeout: Duration
    let degradedLeaseTimeout: Duration
    let endpoint: String
    private let health: Health

    /// No pooled connection became available in time.
    struct LeaseTimeout: Error, CustomStringConvertible {
        let endpoint: String
        let timeout: Duration
        var description: String {
            let (seconds, attoseconds) = timeout.components
            let value = Double(seconds) + Double(attoseconds) / 1e18
            return "no connection to \(endpoint) within \(String(format: "%.3g", value)) s (server stopped or unreachable)"
        }
    }

    /// Whether the last lease failed.
    final class Health: Sendable {
        let degraded = Mutex(false)
    }

    /// Where one lease stands: still waiting for a connection, running, or given up.
    final class LeasePhase: Sendable {
        enum Phase { case waiting, started, timedOut }
        private let phase = Mutex(Phase.waiting)

        /// Moves from `waiting` to `to`; false if the other side got there first.
        func leave(to next: Phase) -> Bool {
            phase.withLock { state in
                guard state == .waiting else { return false }
                state = next
                return true
            }
        }
    }

    init(client: PostgresClient, logger: Logger, eventLoop: any EventLoop, endpoint: String, leaseTimeout: Duration) {
        self.client = client
        self.logger = logger
        self.eventLoop = eventLoop
        self.endpoint = endpoint
        self.leaseTimeout = leaseTimeout
        self.degradedLeaseTimeout = min(leaseTimeout, .milliseconds(250))
        self.health = Health()
    }

    var dialect: any SQLDialect { PostgresDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await withLease { connection in
            try await connection.sql().execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let box = try await withLease { connection in
            UncheckedBox(value: try await closure(connection.sql()))
        }
        return box.value
    }

    /// Leases a connection (waiting at most the lease timeout) and runs `body` on it.
    ///
    /// Only the wait for a connection is bounded: once `body` has started it runs to completion, so
    /// a timeout never leaves a statement whose outcome is unknown.
    func withLease<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> R) async throws -> R {
        let timeout = health.degraded.withLock { $0 } ? degradedLeaseTimeout : leaseTimeout
        let phase = LeasePhase()
        let client = client
        let endpoint = endpoint
        do {
            // Child results: `.some(value)` from the lease, `nil` from the timer.
            let result: R = try await withThrowingTaskGroup(of: Optional<R>.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard phase.leave(to: .started) else { throw CancellationError() }
                        return Optional.some(try await body(connection))
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                while let outcome = try await group.next() {
                    if let value = outcome {
                        group.cancelAll()
                        return value
                    }
                    if phase.leave(to: .timedOut) {
                        group.cancelAll()
                        throw LeaseTimeout(endpoint: endpoint, timeout: timeout)
                    }
                }
                throw CancellationError()
            }
            health.degraded.withLock { $0 = false }
            return result
        } catch {
            if error is LeaseTimeout || PostgresStore.unavailableReason(error, endpoint: endpoint) != nil {
                health.degraded.withLock { $0 = true }
            }
            throw error
        }
    }
}

/// Carries a value the compiler cannot prove `Sendable` across one `await` (SQLKit's `withSession`
/// is generic over any result type).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
}
