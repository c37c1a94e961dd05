import Foundation

/// Follows alert states over successive polls of Prometheus and the webhook, and turns changes into
/// timeline events (pending, firing, resolved, notified). `Watchdog` is always firing and ignored.
struct AlertTracker: Sendable {
    /// Prometheus' state of each alert seen so far: `pending`, `firing` or `inactive`.
    private(set) var states: [String: String] = [:]
    /// When each alert last became firing / inactive after firing.
    private(set) var firingSince: [String: Date] = [:]
    private(set) var resolvedAt: [String: Date] = [:]
    /// Notifications already turned into events.
    private var seenNotifications = 0
    /// Timeline events, oldest first.
    private(set) var events: [DrillJournal.Event] = []

    static let ignored: Set<String> = ["Watchdog"]

    /// Alerts Prometheus holds as firing now, sorted.
    var firing: [String] { states.filter { $0.value == "firing" }.map(\.key).sorted() }

    /// Feeds one poll of Prometheus' alerts.
    mutating func observe(_ alerts: [PrometheusAlert], at now: Date) {
        var current: [String: String] = [:]
        for alert in alerts where !Self.ignored.contains(alert.name) {
            // Several series of one alert: firing wins over pending.
            if current[alert.name] != "firing" { current[alert.name] = alert.state }
        }
        for (name, state) in current where states[name] != state {
            switch state {
            case "pending":
                events.append(.init(at: now, kind: .alertPending, label: "\(name) pending"))
            case "firing":
                firingSince[name] = now
                events.append(.init(at: now, kind: .alertFiring, label: "\(name) firing"))
            default:
                break
            }
            states[name] = state
        }
        for (name, state) in states where current[name] == nil && state != "inactive" {
            if state == "firing" {
                resolvedAt[name] = now
                events.append(.init(at: now, kind: .alertResolved, label: "\(name) resolved"))
            }
            states[name] = "inactive"
        }
    }

    /// Feeds the webhook's notifications so far (the full list; only new ones become events).
    mutating func observe(notifications: [AlertNotification]) {
        guard notifications.count > seenNotifications else { return }
        for notification in notifications[seenNotifications...] {
            let names = Set(notification.alerts.filter { !Self.ignored.contains($0.name) }.map { "\($0.name) \($0.status)" })
            for name in names.sorted() {
                events.append(.init(at: notification.receivedAt, kind: .notified, label: "\(name) notified"))
            }
        }
        seenNotifications = notifications.count
    }

    /// Whether Prometheus holds `alert` in the expected state.
    func holds(_ alert: String, _ expectation: Step.AlertExpectation) -> Bool {
        switch expectation {
        case .firing: states[alert] == "firing"
        case .resolved: (states[alert] ?? "inactive") == "inactive"
        }
    }
}

extension AlertNotification {
    /// Whether this notification reports `alert` with `status` (`firing` or `resolved`).
    func reports(_ alert: String, status: String) -> Bool {
        alerts.contains { $0.name == alert && $0.status == status }
    }
}
