import Foundation
@testable import AnalyzerCore
import LoadKit

/// Summary files made from simulated requests: per interval, `requests` log-normal latencies
/// (median `medianMs`, σ 0.5 in log space) times `factor`, summarised as `firedrill load` does.
enum SyntheticRun {
    /// A seeded generator (AnalyzerCore's SplitMix64), so every trial is reproducible.
    typealias Random = DeterministicRNG

    /// A generator for `seed`.
    static func random(seed: UInt64) -> Random { DeterministicRNG(seed: seed) }

    /// The intervals of one simulated run.
    static func intervals(count: Int, requests: Int, factor: Double, medianMs: Double = 40,
                          rng: inout Random) -> [IntervalStats] {
        (0..<count).map { i in
            var v = (0..<requests).map { _ in medianMs * factor * exp(0.5 * normal(&rng)) }
            v.sort()
            func q(_ p: Double) -> Double { v[min(v.count - 1, Int((p / 100 * Double(v.count)).rounded(.up)) - 1)] }
            return IntervalStats(
                elapsed: Double(i + 1), span: 1, requests: requests, failures: 0,
                meanMs: v.reduce(0, +) / Double(v.count), p50Ms: q(50), p90Ms: q(90), p95Ms: q(95), p99Ms: q(99),
                maxMs: v[v.count - 1])
        }
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ rng: inout Random) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
        let v = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// A summary whose only request name is `name`; intervals are given for `Aggregated` only
    /// (and for `name` when `perName`), like a run of one endpoint.
    static func record(_ intervals: [IntervalStats], name: String = "GET /", perName: Bool = false,
                       path: String = "synthetic.json") throws -> RunRecord {
        try RunRecord.decode(json(intervals, names: [name], perName: perName), path: path)
    }

    /// Summary JSON as `firedrill load --json` lays it out (only the fields `RunRecord` reads).
    static func json(_ intervals: [IntervalStats], names: [String], perName: Bool = false) throws -> Data {
        let n = intervals.reduce(0) { $0 + $1.requests }
        let duration = intervals.reduce(0) { $0 + $1.span }
        let sorted = intervals.map(\.p95Ms).sorted()
        func entry(_ name: String, _ method: String) -> [String: Any] {
            let mid = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            return ["method": method, "name": name, "requests": n, "failures": 0,
                    "avg_ms": intervals.map(\.meanMs).reduce(0, +) / Double(max(intervals.count, 1)),
                    "min_ms": 1.0, "max_ms": intervals.map(\.maxMs).max() ?? 0,
                    "rps": duration > 0 ? Double(n) / duration : 0, "fps": 0.0,
                    "percentiles": [mid * 0.5, mid * 0.6, mid * 0.7, mid * 0.75, mid * 0.9, mid, mid, mid, mid, mid, mid]]
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var series = [IntervalSeries(name: "Aggregated", intervals: intervals)]
        if perName { series += names.map { IntervalSeries(name: $0, intervals: intervals) } }
        let encodedSeries = try JSONSerialization.jsonObject(with: encoder.encode(series))
        let object: [String: Any] = [
            "tool": "firedrill test", "host": "http://127.0.0.1", "load": "synthetic", "passed": true,
            "summary": ["duration": duration, "end_reason": "completed", "history": [], "intervals": encodedSeries,
                        "stats": ["entries": names.map { entry($0, "GET") }, "total": entry("Aggregated", "")]] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: object)
    }
}
