import Foundation
import LoadKit

/// A metric a comparison judges, with how to read it from a run and which way is worse.
public enum GateMetric: String, Sendable, CaseIterable {
    case p50, p90, p95, p99, max, mean, rps
    case failureRate = "failure rate"
    /// Open model: iterations started per second (the offered rate is shown beside it).
    case achievedRate = "achieved rate"

    /// Relative metrics are tested on log values (a shift is a ratio); the failure rate on its
    /// absolute value.
    public var isRelative: Bool { self != .failureRate }

    /// True when an increase is a regression.
    public var higherIsWorse: Bool { self != .rps && self != .achievedRate }

    /// Whether a `worse` verdict fails the gate. `max` is judged and shown but not gated: one stall
    /// of the machine lifts a whole second's maximum, so two runs of one build differ on it (seen in
    /// A/A runs, against one server and against two processes of it); gate on p99.
    public var isGated: Bool { self != .max }

    /// The report note that says so.
    static let notGatedNote = "max is judged and shown, not gated: one stall of the machine lifts a whole second's maximum (gate on p99)"

    /// The metrics of a run in report order; `achievedRate` only for open-model runs.
    static func all(openModel: Bool) -> [GateMetric] {
        allCases.filter { $0 != .achievedRate || openModel }
    }

    /// The value in one interval, nil when the interval says nothing about it (no requests).
    func sample(_ i: IntervalStats) -> Double? {
        switch self {
        case .rps: return i.rps
        case .achievedRate: return i.span > 0 ? Double(i.iterations) / i.span : nil
        default: break
        }
        guard i.requests > 0 else { return nil }
        switch self {
        case .p50: return i.p50Ms
        case .p90: return i.p90Ms
        case .p95: return i.p95Ms
        case .p99: return i.p99Ms
        case .max: return i.maxMs
        case .mean: return i.meanMs
        case .failureRate: return i.failureRate
        case .rps, .achievedRate: return nil
        }
    }

    /// The whole-run value of `name` (nil = all requests), for display.
    func whole(_ r: RunRecord, name: String?) -> Double? {
        if self == .achievedRate { return name == nil ? r.summary.stats.arrival?.achievedRate : nil }
        guard let e = r.entry(named: name) else { return nil }
        switch self {
        case .p50: return e.levelPercentile(50)
        case .p90: return e.levelPercentile(90)
        case .p95: return e.levelPercentile(95)
        case .p99: return e.levelPercentile(99)
        case .max: return e.maxMs
        case .mean: return e.avgMs
        case .rps: return e.rps
        case .failureRate: return e.failureRate
        case .achievedRate: return nil
        }
    }

    /// The scale the test runs on: logarithms for relative metrics (floored so an empty interval
    /// of a throughput metric stays finite).
    func transform(_ v: Double) -> Double { isRelative ? log(Swift.max(v, 1e-3)) : v }

    /// The minimum effect on the test's scale.
    func margin(_ s: GateSettings) -> Double { isRelative ? log1p(s.minEffect) : s.minFailureDelta }

    /// How values print.
    var unit: MetricUnit {
        switch self {
        case .rps, .achievedRate: return .perSecond
        case .failureRate: return .fraction
        default: return .milliseconds
        }
    }
}

/// The unit of a compared value, for printing.
public enum MetricUnit: String, Sendable {
    case milliseconds, perSecond, fraction, seconds, flag
}
