import Foundation

/// An alert as Prometheus' rule evaluation sees it (`/api/v1/alerts`).
public struct PrometheusAlert: Sendable, Equatable {
    /// `alertname`.
    public var name: String
    /// `pending` or `firing` (Prometheus drops inactive alerts from the list).
    public var state: String
    /// The alert's labels, `alertname` included.
    public var labels: [String: String]
    /// When the alert became active (pending), if reported.
    public var activeAt: Date?
    /// The rule's annotations (`summary`, `description`, `runbook_url`), templates expanded.
    public var annotations: [String: String] = [:]

}
