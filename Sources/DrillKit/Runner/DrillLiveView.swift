import Foundation

/// What a drill looks like while it runs, for a live page: the phase, the timeline so far, the
/// service's samples and each alert's state.
public struct DrillLiveView: Sendable, Encodable {
    /// One alert as the drill has seen it.
    public struct Alert: Sendable, Encodable, Hashable {
        /// Alert name.
        public var name: String
        /// `pending`, `firing`, `notified` (firing and delivered to the webhook), `resolved` or `inactive`.
        public var state: String
    }

    /// The step running, or the phase (`steady state (before)`, `rollbacks`).
    public var phase: String
    /// Seconds since the drill started.
    public var elapsed: Double
    /// Timeline events so far, oldest first (derived events such as `recovered` come with the journal).
    public var timeline: [DrillJournal.Event]
    /// One sample of the service per second.
    public var series: [DrillJournal.Point]
    /// Alerts seen so far, by name.
    public var alerts: [Alert]
}

extension DrillRunner {
    /// The drill so far (safe from any thread while ``run()`` goes on).
    public var live: DrillLiveView {
        state.withLock { s in
            let timeline = (s.events + s.tracker.events).sorted { $0.at < $1.at }
            return DrillLiveView(
                phase: s.phase, elapsed: Date().timeIntervalSince(startedAt), timeline: timeline, series: s.series,
                alerts: s.tracker.liveStates(timeline: timeline))
        }
    }
}

extension AlertTracker {
    /// Each alert's state, with `notified` for a firing alert whose notification reached the webhook,
    /// and `resolved` for one that stopped firing.
    func liveStates(timeline: [DrillJournal.Event]) -> [DrillLiveView.Alert] {
        states.keys.sorted().map { name in
            let state = states[name] ?? "inactive"
            switch state {
            case "firing":
                // The webhook may hear of it before the next poll of Prometheus does: count any
                // notification since the alert last resolved.
                let since = resolvedAt[name] ?? .distantPast
                let notified = timeline.contains { $0.kind == .notified && $0.label == "\(name) firing notified" && $0.at >= since }
                return .init(name: name, state: notified ? "notified" : "firing")
            case "inactive":
                return .init(name: name, state: resolvedAt[name] == nil ? "inactive" : "resolved")
            default:
                return .init(name: name, state: state)
            }
        }
    }
}
