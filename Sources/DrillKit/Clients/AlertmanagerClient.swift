import FiredrillSupport
import Foundation

/// Reads Alertmanager's API v2 (`/api/v2/alerts`).
public struct AlertmanagerClient: Sendable {
    /// Alertmanager's base URL, e.g. `http://127.0.0.1:9093`.
    public let baseURL: String
    /// Per-call deadline.
    public let timeout: Duration

    /// Creates a client for the Alertmanager at `baseURL`.
    public init(baseURL: String, timeout: Duration = .seconds(10)) {
        self.baseURL = URLText.base(baseURL)
        self.timeout = timeout
    }

    /// The alerts Alertmanager holds (active, suppressed and unprocessed; resolved ones drop out).
    public func alerts() async throws -> [AlertmanagerAlert] {
        let object = try await HTTPJSON.get(baseURL + "/api/v2/alerts", timeout: timeout)
        guard let list = object as? [Any] else { throw ControlError(message: "GET /api/v2/alerts: expected a JSON array") }
        return list.compactMap { $0 as? [String: Any] }.map { alert in
            let labels = HTTPJSON.labels(alert["labels"])
            return AlertmanagerAlert(name: labels["alertname"] ?? "",
                                     state: (alert["status"] as? [String: Any])?["state"] as? String ?? "",
                                     labels: labels, startsAt: HTTPJSON.date(alert["startsAt"]),
                                     fingerprint: alert["fingerprint"] as? String ?? "")
        }
    }
}
