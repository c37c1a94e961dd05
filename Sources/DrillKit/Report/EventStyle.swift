/// How the reports show each kind of timeline event.
enum EventStyle {
    static let red = "#d62728"
    static let amber = "#e6a100"
    static let purple = "#8e44ad"
    static let blue = "#1f77b4"
    static let green = "#2ca02c"
    static let grey = "#888888"

    /// Faults and errors red, pending amber, firing red, notified purple, fixes blue, recovery green.
    static func color(_ kind: DrillJournal.Event.Kind) -> String {
        switch kind {
        case .faultInjected, .firstError, .alertFiring, .stepFailed: return red
        case .alertPending: return amber
        case .notified: return purple
        case .hotfix, .patch: return blue
        case .recovered, .stable, .alertResolved: return green
        case .serviceStarted, .seeded, .loadStarted, .loadStopped, .faultCleared: return grey
        }
    }

    /// `fault injected`, `alert firing`, …
    static func name(_ kind: DrillJournal.Event.Kind) -> String {
        kind.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    /// Whether the charts mark the event with a vertical line.
    static func marksCharts(_ kind: DrillJournal.Event.Kind) -> Bool {
        kind == .faultInjected || kind == .hotfix || kind == .patch
    }
}
