import Foundation

/// Derives the moments a drill does not observe directly (first 5xx, recovered) from the sampled
/// series, and the key durations (time to detect, notify, recover) from the timeline.
enum TimelineAnalysis {
    /// The 5xx ratio below which the service counts as recovered (HighErrorRate's threshold).
    static let recoveredBelow = 0.01
    /// Consecutive samples the ratio must stay below it.
    static let recoveredSamples = 5

    /// When the incident started: the first fault injected, else the first load started.
    static func incidentStart(_ events: [DrillJournal.Event]) -> Date? {
        (events.first { $0.kind == .faultInjected } ?? events.first { $0.kind == .loadStarted })?.at
    }

    /// `events` plus `first_error` (the first sample with 5xx after the incident started) and
    /// `recovered` (after the first remedy, the first of `recoveredSamples` samples in a row with
    /// traffic and a 5xx ratio under 1 %), sorted by time.
    static func derivedEvents(_ events: [DrillJournal.Event], series: [DrillJournal.Point]) -> [DrillJournal.Event] {
        var all = events
        if let start = incidentStart(events),
           let first = series.first(where: { $0.at >= start && ($0.errorRatio ?? 0) > 0 }) {
            all.append(.init(at: first.at, kind: .firstError,
                             label: String(format: "first HTTP 5xx (%.1f %% of requests)", (first.errorRatio ?? 0) * 100)))
            if let remedy = events.first(where: { $0.kind == .hotfix && $0.at >= first.at }) {
                let after = series.filter { $0.at >= remedy.at }
                var run = 0
                for (i, point) in after.enumerated() {
                    if let ratio = point.errorRatio, ratio < recoveredBelow { run += 1 } else { run = 0 }
                    if run == recoveredSamples {
                        let at = after[i - recoveredSamples + 1].at
                        all.append(.init(at: at, kind: .recovered, label: "5xx back under 1 %"))
                        break
                    }
                }
            }
        }
        return all.sorted { $0.at < $1.at }
    }

    /// Time to detect, notify and recover (see `DrillJournal.KeyTimes`).
    static func keyTimes(_ events: [DrillJournal.Event]) -> DrillJournal.KeyTimes {
        var times = DrillJournal.KeyTimes()
        guard let start = incidentStart(events) else { return times }
        times.timeToDetect = events.first { $0.kind == .alertFiring && $0.at >= start }.map { $0.at.timeIntervalSince(start) }
        times.timeToNotify = events.first { $0.kind == .notified && $0.at >= start && $0.label.hasSuffix("firing notified") }
            .map { $0.at.timeIntervalSince(start) }
        // The remedy: the first hotfix, patch or cleared fault, or a change of traffic (a load
        // started) after the first alert fired (e.g. drifted inputs fixed at the source).
        let detected = events.first { $0.kind == .alertFiring }?.at ?? .distantFuture
        func isRemedy(_ event: DrillJournal.Event) -> Bool {
            switch event.kind {
            case .hotfix, .patch, .faultCleared: true
            case .loadStarted: event.at > detected
            default: false
            }
        }
        if let remedy = events.first(where: isRemedy) {
            let end = events.first { $0.kind == .recovered && $0.at >= remedy.at }
                ?? events.last { $0.kind == .alertResolved && $0.at >= remedy.at }
            times.timeToRecover = end.map { $0.at.timeIntervalSince(remedy.at) }
        }
        return times
    }
}
