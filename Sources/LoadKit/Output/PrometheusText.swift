import Foundation
import Histogram

/// Renders a ``StatsSnapshot`` in the Prometheus text exposition format 0.0.4 (DESIGN.md, "Metrics contract").
///
/// Families, each with one `# HELP` and one `# TYPE` line:
/// - `firedrill_users` (gauge): live virtual users.
/// - `firedrill_requests_total{name,method}`, `firedrill_failures_total{name,method}` (counters): cumulative
///   over the run, per request name of the scenario (low cardinality by design; no `Aggregated` series).
/// - `firedrill_request_duration_seconds{name}` (histogram): buckets ``latencyBuckets`` plus `+Inf`,
///   cumulative counts taken from the HdrHistogram (3 significant digits), `_sum` and `_count`.
/// - `firedrill_offered_rate`, `firedrill_achieved_rate` (gauges, open model only): iterations per second
///   scheduled and started, averaged since the start.
/// - `firedrill_event_loop_lag_seconds` (gauge): the worst event-loop lag in the last interval.
public enum PrometheusText {
    /// The `Content-Type` of the rendered text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Upper bounds (seconds) of the latency histogram's buckets, `+Inf` excluded (the csv-analyzer's set).
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The same bounds in the histogram's unit, microseconds.
    static let latencyBucketMicros: [UInt64] = latencyBuckets.map { UInt64(($0 * 1_000_000).rounded()) }

    /// The exposition text for `snapshot`.
    public static func render(_ snapshot: StatsSnapshot) -> String {
        var out = ""
        out.reserveCapacity(1024 + snapshot.entries.count * 1200)

        family(&out, "firedrill_users", type: "gauge", help: "Virtual users running.")
        sample(&out, "firedrill_users", [], Double(snapshot.users))

        family(&out, "firedrill_requests_total", type: "counter",
               help: "Requests completed since the start of the run, by request name and method.")
        for e in snapshot.entries {
            sample(&out, "firedrill_requests_total", [("name", e.name), ("method", e.method)], Double(e.requests))
        }

        family(&out, "firedrill_failures_total", type: "counter",
               help: "Requests that failed (status, check, timeout or connection error) since the start of the run.")
        for e in snapshot.entries {
            sample(&out, "firedrill_failures_total", [("name", e.name), ("method", e.method)], Double(e.failures))
        }

        family(&out, "firedrill_request_duration_seconds", type: "histogram",
               help: "Request latency by request name (HdrHistogram, 3 significant digits).")
        var names: [String] = []
        for e in snapshot.entries where names.last != e.name { names.append(e.name) }   // entries are sorted by name
        for name in names {
            guard let entry = snapshot.combined(named: name) else { continue }
            histogram(&out, name: name, entry: entry)
        }

        if let arrival = snapshot.arrival {
            family(&out, "firedrill_offered_rate", type: "gauge",
                   help: "Open model: iterations per second scheduled, averaged since the start.")
            sample(&out, "firedrill_offered_rate", [], arrival.offeredRate)
            family(&out, "firedrill_achieved_rate", type: "gauge",
                   help: "Open model: iterations per second started, averaged since the start.")
            sample(&out, "firedrill_achieved_rate", [], arrival.achievedRate)
        }

        family(&out, "firedrill_event_loop_lag_seconds", type: "gauge",
               help: "Worst event-loop lag of the load generator in the last interval.")
        sample(&out, "firedrill_event_loop_lag_seconds", [], snapshot.health.loopLagMs / 1000)
        return out
    }

    /// Cumulative bucket counts for ``latencyBuckets`` (without `+Inf`) from a latency histogram.
    ///
    /// A recorded value counts in a bucket when the lowest value it is equivalent to (to the
    /// histogram's precision) is at most the bucket's bound; values below 2.048 ms are exact.
    static func cumulativeCounts(_ histogram: LatencyHistogram?) -> [UInt64] {
        let bounds = latencyBucketMicros
        var counts = [UInt64](repeating: 0, count: bounds.count)
        guard let histogram, histogram.totalCount > 0 else { return counts }
        for v in histogram.recordedValues() where v.count > 0 {
            let low = histogram.lowestEquivalentForValue(v.value)
            if let i = bounds.firstIndex(where: { low <= $0 }) { counts[i] += v.count }
        }
        for i in counts.indices.dropFirst() { counts[i] += counts[i - 1] }
        return counts
    }

    private static func histogram(_ out: inout String, name: String, entry: EntryStats) {
        let metric = "firedrill_request_duration_seconds"
        let total = UInt64(max(0, entry.requests))
        let counts = cumulativeCounts(entry.histogram)
        for (bound, count) in zip(latencyBuckets, counts) {
            sample(&out, metric + "_bucket", [("name", name), ("le", number(bound))], Double(min(count, total)))
        }
        sample(&out, metric + "_bucket", [("name", name), ("le", "+Inf")], Double(total))
        // avgMs is sumMicros / requests / 1000, so this recovers the exact sum (whole microseconds).
        let sumMicros = (entry.avgMs * Double(entry.requests) * 1000).rounded()
        sample(&out, metric + "_sum", [("name", name)], sumMicros / 1_000_000)
        sample(&out, metric + "_count", [("name", name)], Double(total))
    }

    private static func family(_ out: inout String, _ name: String, type: String, help: String) {
        out += "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    private static func sample(_ out: inout String, _ name: String, _ labels: [(String, String)], _ value: Double) {
        out += name
        if !labels.isEmpty {
            out += "{"
            for (i, (key, value)) in labels.enumerated() {
                if i > 0 { out += "," }
                out += key + "=\"" + escapeLabelValue(value) + "\""
            }
            out += "}"
        }
        out += " " + number(value) + "\n"
    }

    /// A label value with `\`, `"` and line feeds escaped, as the exposition format requires.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r\n": out += "\r\\n"   // one grapheme in Swift: the CR stays raw, the LF is escaped
            default: out.append(c)
            }
        }
        return out
    }

    /// HELP text with `\` and line feeds escaped.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value or `le` bound as Prometheus writes it: `1`, `0.0025`, `+Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
