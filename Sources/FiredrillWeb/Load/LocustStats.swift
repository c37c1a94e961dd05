import FiredrillSupport
import Foundation
import LoadKit

/// `GET /stats/requests` in Locust's shape: `stats[]` per request name then the `Aggregated` row,
/// `errors[]`, `total_rps`, `fail_ratio`, `state`, `user_count`, … Firedrill's extras (the HDR
/// percentiles, not rounded) are extra fields, so scripts written for Locust read it unchanged.
public struct LocustStats: Encodable, Sendable {
    /// One row of the statistics table.
    public struct Row: Encodable, Sendable {
        var method = ""
        var name = "Aggregated"
        var safeName = "Aggregated"
        var numRequests = 0
        var numFailures = 0
        var avgResponseTime = 0.0
        var minResponseTime = 0.0
        var maxResponseTime = 0.0
        var currentRps = 0.0
        var currentFailPerSec = 0.0
        var totalRps = 0.0
        var totalFailPerSec = 0.0
        var medianResponseTime = 0.0
        var ninetiethResponseTime = 0.0
        var ninetyFifthResponseTime = 0.0
        var ninetyNinthResponseTime = 0.0
        var p95 = 0.0
        var p99 = 0.0
        var avgContentLength = 0.0
        /// Firedrill: whole-run HDR percentiles, ms, keyed `50`, `66`, … `100`.
        var percentiles: [String: Double] = [:]

        /// The `Aggregated` row before any request.
        init() {}

        enum CodingKeys: String, CodingKey {
            case method, name, safeName = "safe_name", numRequests = "num_requests", numFailures = "num_failures"
            case avgResponseTime = "avg_response_time", minResponseTime = "min_response_time"
            case maxResponseTime = "max_response_time", currentRps = "current_rps"
            case currentFailPerSec = "current_fail_per_sec", medianResponseTime = "median_response_time"
            case totalRps = "total_rps", totalFailPerSec = "total_fail_per_sec"
            case ninetiethResponseTime = "ninetieth_response_time", ninetyFifthResponseTime = "ninety_fifth_response_time"
            case ninetyNinthResponseTime = "ninety_ninth_response_time"
            case p95 = "response_time_percentile_0.95", p99 = "response_time_percentile_0.99"
            case avgContentLength = "avg_content_length", percentiles = "hdr_percentiles"
        }

        init(_ e: EntryStats) {
            method = e.method
            name = e.name
            safeName = MarkupText.escape(e.name, quotes: false)
            numRequests = e.requests
            numFailures = e.failures
            avgResponseTime = e.avgMs
            minResponseTime = e.minMs.rounded()
            maxResponseTime = e.maxMs.rounded()
            currentRps = e.currentRps
            currentFailPerSec = e.currentFps
            totalRps = e.rps
            totalFailPerSec = e.fps
            medianResponseTime = e.medianMs
            ninetiethResponseTime = e.percentile(90)
            ninetyFifthResponseTime = e.percentile(95)
            ninetyNinthResponseTime = e.percentile(99)
            p95 = ninetyFifthResponseTime
            p99 = ninetyNinthResponseTime
            avgContentLength = e.avgContentSize
            var p: [String: Double] = [:]
            for (level, value) in zip(EntryStats.levels, e.percentiles) { p[LocustStats.label(level)] = value }
            percentiles = p
        }
    }

    var stats: [Row]
    var errors: [FailureStats]
    var currentRps: Double
    var currentFailPerSec: Double
    var totalRps: Double
    var totalFailPerSec: Double
    var failRatio: Double
    var currentResponseTimePercentiles: [String: Double]
    var currentResponseTimePercentile1: Double
    var currentResponseTimePercentile2: Double
    var state: String
    var userCount: Int
    /// Firedrill: seconds the statistics cover.
    var elapsed: Double

    enum CodingKeys: String, CodingKey {
        case stats, errors, currentRps = "current_rps", currentFailPerSec = "current_fail_per_sec"
        case totalRps = "total_rps", totalFailPerSec = "total_fail_per_sec", failRatio = "fail_ratio"
        case currentResponseTimePercentiles = "current_response_time_percentiles"
        case currentResponseTimePercentile1 = "current_response_time_percentile_1"
        case currentResponseTimePercentile2 = "current_response_time_percentile_2"
        case state, userCount = "user_count", elapsed
    }

    /// The answer for `snapshot` (nil before any run: only a zero `Aggregated` row).
    init(_ snapshot: StatsSnapshot?, state: String, users: Int) {
        var rows = (snapshot?.entries ?? []).prefix(500).map(Row.init)
        let total = snapshot?.total
        rows.append(total.map(Row.init) ?? Row())
        stats = rows
        errors = (snapshot?.failures ?? []).prefix(500).map {
            var row = $0
            row.name = MarkupText.escape($0.name, quotes: false)
            row.error = MarkupText.escape($0.error, quotes: false)
            return row
        }
        currentRps = total?.currentRps ?? 0
        currentFailPerSec = total?.currentFps ?? 0
        // Locust 2.47: the top-level total_* are whole-run rates (older versions put the current rate there).
        totalRps = total?.rps ?? 0
        totalFailPerSec = total?.fps ?? 0
        failRatio = total?.failureRate ?? 0
        // The last 10 s window (Locust's "current" percentiles): levels 50 and 95.
        let current = total?.currentPercentiles ?? EntryStats.levels.map { _ in 0 }
        currentResponseTimePercentile1 = current[0]
        currentResponseTimePercentile2 = current[5]
        currentResponseTimePercentiles = [
            "response_time_percentile_0.5": current[0], "response_time_percentile_0.95": current[5],
            "response_time_percentile_0.99": current[7],
        ]
        self.state = state
        userCount = users
        elapsed = snapshot?.elapsed ?? 0
    }

    static func label(_ level: Double) -> String {
        level == level.rounded() ? String(Int(level)) : String(level)
    }
}
