import Foundation

/// Where a drill runs: the service under test and, when present, the monitoring around it.
///
/// `LocalStack` starts everything on 127.0.0.1 and stops it afterwards; `AttachedStack` uses URLs of
/// a stack that is already running (e.g. the compose stack) and stops nothing.
public protocol DrillStack: AnyObject, Sendable {
    /// `local` or `attach`, for the journal.
    var kind: String { get }
    /// The service's base URL, e.g. `http://127.0.0.1:8000`.
    var serviceURL: String { get }
    /// Bearer token of the service's `/admin` API.
    var adminToken: String { get }
    /// Prometheus, or nil when absent (alert expectations are then skipped, never passed).
    var prometheus: PrometheusClient? { get }
    /// Alertmanager, or nil when absent.
    var alertmanager: AlertmanagerClient? { get }
    /// Why part of the monitoring is missing and how to get it (nil when complete).
    var monitoringGap: String? { get }
    /// Starts csv-analyzer with a `start` step's `serve` options (local); checks that the service
    /// answers (attach), where the options cannot apply and are only reported.
    /// - Returns: a note for the journal (e.g. the command line, or "attached: options ignored").
    func startService(options: [String: String]) async throws -> String
    /// Stops the service it started (an `act: {action: stop_service}` step): SIGTERM, then SIGKILL
    /// after the grace period. Stacks that did not start the service refuse.
    /// - Returns: a note for the journal.
    func stopService() async throws -> String
    /// The notifications the drill's webhook received so far, oldest first; nil when no webhook is
    /// hosted (notification expectations are then skipped).
    func notifications() -> [AlertNotification]?
    /// Where the stack keeps its files: `logs/NAME.log` of every program it started.
    var workDirectory: URL { get }
    /// The programs generic `start` steps started; `stop()` stops them.
    var commands: CommandProcesses { get }
    /// The fault proxy `proxy` steps drive.
    var proxy: DrillProxy { get }
    /// Stops everything the stack started, generic `start` programs and the in-process proxy
    /// included (idempotent; safe after a failure or Ctrl-C).
    func stop() async
}

/// One webhook call from Alertmanager (its webhook payload, version 4), as received.
public struct AlertNotification: Sendable, Codable, Equatable {
    /// One alert of the notification.
    public struct Alert: Sendable, Codable, Equatable {
        /// `firing` or `resolved`.
        public var status: String
        /// The alert's labels (`alertname`, `severity`, …).
        public var labels: [String: String]
        /// When the alert started.
        public var startsAt: Date?

        /// The `alertname` label.
        public var name: String { labels["alertname"] ?? "" }

    }

    /// When firedrill received it.
    public var receivedAt: Date
    /// The group's status: `firing` or `resolved`.
    public var status: String
    /// The Alertmanager receiver that sent it (`drill`).
    public var receiver: String
    /// The alerts of the group.
    public var alerts: [Alert]

}
