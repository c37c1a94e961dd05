import Foundation
import LoadKit

/// One second of the live charts: throughput, latency (HDR percentiles of the last 10 s, not rounded),
/// users, the open model's offered and achieved rates and drops, and the generator's own health.
public struct ChartPoint: Encodable, Sendable, Equatable {
    /// Unix time, seconds.
    public var time: Double
    /// Live users.
    public var users: Int
    /// Requests per second in the last interval.
    public var rps: Double
    /// Failures per second in the last interval.
    public var fps: Double
    /// Latency percentiles over the last 10 s, ms.
    public var p50: Double, p95: Double, p99: Double
    /// Open model: iterations the schedule offered, started, and dropped, per second in the last interval.
    public var offered: Double?, achieved: Double?, dropped: Double?
    /// Generator CPU (% of one core) and worst event-loop lag (ms) in the last interval.
    public var cpu: Double, lag: Double
    /// True while the generator looks saturated (its numbers are then not the target's).
    public var saturated: Bool

    /// The point for `snapshot`; `previous` (the snapshot before it) turns the open model's counters into rates.
    init(_ s: StatsSnapshot, previous: StatsSnapshot?) {
        time = s.timestamp.timeIntervalSince1970
        users = s.users
        rps = s.total.currentRps
        fps = s.total.currentFps
        p50 = s.total.currentPercentiles[0]
        p95 = s.total.currentPercentiles[5]
        p99 = s.total.currentPercentiles[7]
        cpu = s.health.cpuPercent
        lag = s.health.loopLagMs
        saturated = s.health.saturated
        if let a = s.arrival {
            let before = previous?.arrival
            let span = previous.map { s.timestamp.timeIntervalSince($0.timestamp) } ?? s.elapsed
            if let before, span > 0, a.scheduled >= before.scheduled, a.started >= before.started {
                offered = Double(a.scheduled - before.scheduled) / span
                achieved = Double(a.started - before.started) / span
                dropped = Double(max(0, a.dropped - before.dropped)) / span
            } else {
                offered = a.offeredRate
                achieved = a.achievedRate
                dropped = span > 0 ? Double(a.dropped) / span : 0
            }
        }
    }
}

/// What the page receives every second over `/stream` (and `GET /stats/live`): Locust's statistics plus
/// the newest chart point, the thresholds' live verdicts, exceptions and the generator's health.
struct LiveFrame: Encodable, Sendable {
    var seq: Int
    var state: String
    var host: String
    var load: String
    var stats: LocustStats
    var point: ChartPoint?
    var thresholds: [ThresholdResult]
    var exceptions: [ExceptionStats]
    var health: GeneratorHealth?
    var arrival: ArrivalStats?
    var endReason: String?
    var openModel: Bool
    var passed: Bool?

    enum CodingKeys: String, CodingKey {
        case seq, state, host, load, stats, point, thresholds, exceptions, health, arrival
        case endReason = "end_reason", openModel = "open_model", passed
    }
}
