import Foundation

/// Reads alert spans from Prometheus' `ALERTS{alertstate="firing"}` series sampled over a window.
public enum AlertSpans {
    /// Alerts never worth expecting: `Watchdog` fires always.
    static let ignored: Set<String> = ["Watchdog"]

    /// The first firing span of each alert, from range-query series of `ALERTS` (its `pending`
    /// series give the time each was first seen pending).
    ///
    /// Series of one alert (different labels) are merged: it fires from its first sample and is
    /// resolved at the first gap longer than 1.5 steps (or stays firing to the end). Series whose
    /// `job` label names another job are left out.
    /// - Parameters:
    ///   - start: the window's start (epoch seconds); `step`: seconds between samples;
    ///   - scale: incident seconds per second of the window.
    public static func spans(_ series: [PrometheusClient.RangeSeries], job: String, start: Double, end: Double, step: Double,
                             scale: Double) -> [IncidentRecord.AlertSpan] {
        var times: [String: Set<Double>] = [:]
        var severity: [String: String] = [:]
        var pending: [String: Double] = [:]
        for s in series {
            guard let name = s.labels["alertname"], !ignored.contains(name) else { continue }
            if let seriesJob = s.labels["job"], seriesJob != job { continue }
            if s.labels["alertstate"] == "pending" {
                if let first = s.points.map(\.time).min() { pending[name] = min(pending[name] ?? first, first) }
                continue
            }
            severity[name] = severity[name] ?? s.labels["severity"]
            times[name, default: []].formUnion(s.points.map(\.time))
        }
        var spans: [IncidentRecord.AlertSpan] = []
        for (name, set) in times {
            let sorted = set.sorted()
            guard let first = sorted.first else { continue }
            var last = first
            var resolved: Double?
            for time in sorted.dropFirst() {
                if time - last > 1.5 * step { resolved = last + step; break }
                last = time
            }
            if resolved == nil, end - last > 1.5 * step { resolved = last + step }
            spans.append(.init(name: name, severity: severity[name], firingAt: (first - start) * scale,
                               resolvedAt: resolved.map { ($0 - start) * scale },
                               pendingAt: pending[name].map { (min($0, first) - start) * scale }))
        }
        return spans.sorted(by: IncidentRecord.AlertSpan.precedes)
    }

    /// Adds alerts Alertmanager reports as started inside the window and missing from `spans`
    /// (e.g. a Prometheus whose `ALERTS` series were not kept).
    static func merging(_ spans: [IncidentRecord.AlertSpan], alertmanager: [AlertmanagerAlert], job: String, start: Date, end: Date,
                        scale: Double) -> [IncidentRecord.AlertSpan] {
        var result = spans
        let known = Set(spans.map(\.name))
        for alert in alertmanager where !known.contains(alert.name) && !ignored.contains(alert.name) {
            guard let startsAt = alert.startsAt, startsAt >= start, startsAt <= end else { continue }
            if let alertJob = alert.labels["job"], alertJob != job { continue }
            guard !result.contains(where: { $0.name == alert.name }) else { continue }
            result.append(.init(name: alert.name, severity: alert.labels["severity"], firingAt: startsAt.timeIntervalSince(start) * scale))
        }
        return result.sorted(by: IncidentRecord.AlertSpan.precedes)
    }
}
