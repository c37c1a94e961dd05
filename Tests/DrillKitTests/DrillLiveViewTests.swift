import Foundation
import Testing
@testable import DrillKit

/// The live alert states a drill's web page shows: pending → firing → notified → resolved.
@Suite struct DrillLiveViewTests {
    @Test func alertStatesFollowPrometheusAndTheWebhook() {
        var tracker = AlertTracker()
        let t = Date(timeIntervalSince1970: 1000)
        func alert(_ name: String, _ state: String) -> PrometheusAlert { PrometheusAlert(name: name, state: state, labels: [:], activeAt: nil) }
        func states() -> [String: String] {
            Dictionary(uniqueKeysWithValues: tracker.liveStates(timeline: tracker.events).map { ($0.name, $0.state) })
        }
        tracker.observe([alert("Watchdog", "firing"), alert("HighErrorRate", "pending")], at: t)
        #expect(states() == ["HighErrorRate": "pending"])
        tracker.observe([alert("HighErrorRate", "firing"), alert("HighLatencyP95", "pending")], at: t + 1)
        #expect(states() == ["HighErrorRate": "firing", "HighLatencyP95": "pending"])
        // The webhook may hear of it before the next poll.
        let note = AlertNotification(receivedAt: t + 0.5, status: "firing", receiver: "drill",
                                     alerts: [.init(status: "firing", labels: ["alertname": "HighErrorRate"])])
        tracker.observe(notifications: [note])
        #expect(states()["HighErrorRate"] == "notified")
        tracker.observe([], at: t + 3)
        #expect(states() == ["HighErrorRate": "resolved", "HighLatencyP95": "inactive"])
        // Firing again after resolving: the old notification no longer counts.
        tracker.observe([alert("HighErrorRate", "firing")], at: t + 4)
        #expect(states()["HighErrorRate"] == "firing")
    }
}
