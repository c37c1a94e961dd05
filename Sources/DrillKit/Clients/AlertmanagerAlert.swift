import Foundation

/// An alert as Alertmanager holds it (`/api/v2/alerts`).
public struct AlertmanagerAlert: Sendable, Equatable {
    /// `alertname`.
    public var name: String
    /// `active`, `suppressed` (silenced or inhibited) or `unprocessed`.
    public var state: String
    /// The alert's labels, `alertname` included.
    public var labels: [String: String]
    /// When the alert started firing.
    public var startsAt: Date?
    /// Alertmanager's identity of the alert.
    public var fingerprint: String

}
