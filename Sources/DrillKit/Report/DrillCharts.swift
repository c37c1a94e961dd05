import Foundation
import LoadKit

/// The four charts of the drill report, sharing the timeline's x axis (seconds since the start):
/// 5xx ratio, p95 latency, memory against its limit, and the load (users, requests per second).
enum DrillCharts {
    /// A chart and its heading.
    struct Chart {
        var id: String
        var title: String
        var svg: String
    }

    static let errorLimitPercent = 1.0
    static let latencySLAMs = 500.0
    static let memoryTargetPercent = 60.0
    static let memoryAlertPercent = 90.0

    static func all(_ facts: JournalFacts) -> [Chart] {
        let samples = facts.journal.series.sorted { $0.at < $1.at }
        let xs = samples.map { facts.offset($0.at) }
        let breaks = gapBreaks(xs)
        func series(_ name: String, _ color: String, _ value: (DrillJournal.Point) -> Double?) -> SVGChart.Series {
            var points: [(Double, Double?)] = []
            for (i, sample) in samples.enumerated() {
                if breaks.contains(i) { points.append((xs[i], nil)) }
                points.append((xs[i], value(sample)))
            }
            return SVGChart.Series(name: name, color: color, gappedPoints: points)
        }
        let markers = facts.journal.timeline.filter { EventStyle.marksCharts($0.kind) }.map { event in
            let label = "\(EventStyle.name(event.kind)): \(event.label)"
            return SVGChart.Marker(x: facts.offset(event.at), label: label.count > 36 ? String(label.prefix(35)) + "…" : label,
                                   color: EventStyle.color(event.kind))
        }
        func chart(_ series: [SVGChart.Series], _ yLabel: String, _ references: [SVGChart.ReferenceLine]) -> String {
            SVGChart.lines(series, yLabel: yLabel, xRange: facts.xRange, references: references, markers: markers,
                           xLabel: "time since the drill started (m:ss)", xFormat: DrillFormat.tick, emptyText: "no samples")
        }
        return [
            Chart(id: "chart-errors", title: "5xx ratio", svg: chart(
                [series("5xx %", EventStyle.red) { $0.errorRatio.map { $0 * 100 } }], "% of responses 5xx",
                [SVGChart.ReferenceLine(errorLimitPercent, label: "1 %", color: "#b26a00")])),
            Chart(id: "chart-latency", title: "p95 latency", svg: chart(
                [series("p95 ms", "#f58518") { $0.p95Seconds.map { $0 * 1000 } }], "ms",
                [SVGChart.ReferenceLine(latencySLAMs, label: "500 ms SLA", color: "#b26a00")])),
            Chart(id: "chart-memory", title: "Memory in use (% of the limit)", svg: chart(
                [series("memory % of limit", "#4c78a8") { $0.memoryRatio.map { $0 * 100 } }], "% of limit",
                [SVGChart.ReferenceLine(memoryTargetPercent, label: "60 % target", color: EventStyle.green),
                 SVGChart.ReferenceLine(memoryAlertPercent, label: "90 % alert", color: EventStyle.red)])),
            Chart(id: "chart-load", title: "Load: users and requests per second", svg: chart(
                [series("users", "#54a24b") { Double($0.users) }, series("requests/s", "#4c78a8") { $0.requestsPerSecond }],
                "users · req/s", [])),
        ]
    }

    /// Sample indices preceded by a hole in the sampling (more than three typical intervals, and more
    /// than 3 s): the line breaks there rather than bridging time nobody measured.
    static func gapBreaks(_ xs: [Double]) -> Set<Int> {
        guard xs.count > 2 else { return [] }
        let steps = zip(xs.dropFirst(), xs).map { $0 - $1 }.filter { $0.isFinite && $0 > 0 }.sorted()
        guard !steps.isEmpty else { return [] }
        let limit = max(3 * steps[steps.count / 2], 3)
        return Set(xs.indices.dropFirst().filter { xs[$0] - xs[$0 - 1] > limit })
    }
}
