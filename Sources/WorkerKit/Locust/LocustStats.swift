import Foundation
import LoadKit
import Synchronization

/// Collects a run's interval deltas between two `stats` messages and writes them in Locust's
/// serialized form (`StatsEntry.serialize`, `StatsError.serialize`): what a Locust worker's
/// `report_to_master` sends, each report holding only what happened since the previous one.
public final class LocustStats: Sendable {
    private struct Entry {
        var method: String
        var name: String
        var requests = 0
        var failures = 0
        var sumMs = 0.0
        var minMs: Double?
        var maxMs = 0.0
        var bytes = 0
        var responseTimes: [Int: Int] = [:]
        var perSecond: [Int: Int] = [:]
        var failPerSecond: [Int: Int] = [:]
        var last: Double?

        mutating func add(_ e: IntervalDelta.Entry, second: Int, time: Double) {
            requests += e.requests
            failures += e.failures
            sumMs += e.sumMs
            if let m = e.minMs { minMs = Swift.min(minMs ?? m, m) }
            maxMs = Swift.max(maxMs, e.maxMs)
            bytes += e.contentBytes
            for (ms, count) in e.latencies { responseTimes[LocustStats.bucket(ms), default: 0] += Int(count) }
            if e.requests > 0 {
                perSecond[second, default: 0] += e.requests
                last = time
            }
            if e.failures > 0 { failPerSecond[second, default: 0] += e.failures }
        }

        func serialized(start: Double) -> MsgPackValue {
            func counts(_ d: [Int: Int]) -> MsgPackValue {
                .map(d.sorted { $0.key < $1.key }.map { (.integer($0.key), .integer($0.value)) })
            }
            return .object([
                "name": .string(name), "method": .string(method),
                "last_request_timestamp": .optional(last), "start_time": .double(start),
                "num_requests": .integer(requests), "num_none_requests": .integer(0), "num_failures": .integer(failures),
                "total_response_time": .double(sumMs), "max_response_time": .double(maxMs),
                "min_response_time": .optional(minMs), "total_content_length": .integer(bytes),
                "response_times": counts(responseTimes), "num_reqs_per_sec": counts(perSecond),
                "num_fail_per_sec": counts(failPerSecond),
            ])
        }
    }

    private struct State {
        var start = Date().timeIntervalSince1970
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var total = Entry(method: "", name: "Aggregated")
        var errors: [String: (FailureStats, Int)] = [:]
    }

    private let state = Mutex(State())

    /// An empty collector.
    public init() {}

    /// Adds one interval (``RunOptions/onInterval``).
    public func add(_ delta: IntervalDelta) {
        let end = delta.time.timeIntervalSince1970
        let second = Int((end - delta.seconds / 2).rounded(.down))
        state.withLock { s in
            for e in delta.entries {
                let key = e.method + " " + e.name
                if s.entries[key] == nil {
                    s.entries[key] = Entry(method: e.method, name: e.name)
                    s.order.append(key)
                }
                s.entries[key]!.add(e, second: second, time: end)
            }
            s.total.add(delta.total, second: second, time: end)
            for f in delta.failures {
                let key = "\(f.method).\(f.name).\(f.error)"
                if let (old, n) = s.errors[key] {
                    var merged = old
                    merged.firstSeen = min(old.firstSeen, f.firstSeen)
                    merged.lastSeen = max(old.lastSeen, f.lastSeen)
                    s.errors[key] = (merged, n + f.occurrences)
                } else {
                    s.errors[key] = (f, f.occurrences)
                }
            }
        }
    }

    /// The `stats` message's data since the previous call (then starts over), with the live user counts.
    public func report(userClassesCount: [String: Int], userCount: Int) -> MsgPackValue {
        let now = Date().timeIntervalSince1970
        let s = state.withLock { s in
            defer { s = State(); s.start = now }
            return s
        }
        let entries = s.order.compactMap { s.entries[$0] }.filter { $0.requests > 0 || $0.failures > 0 }
        let errors = s.errors.sorted { $0.key < $1.key }.map { key, value -> (MsgPackValue, MsgPackValue) in
            let (f, n) = value
            return (.string(key), .object([
                "name": .string(f.name), "method": .string(f.method), "error": .string(f.error),
                "occurrences": .integer(n), "first_seen": .double(f.firstSeen), "last_seen": .double(f.lastSeen),
            ]))
        }
        return .object([
            "stats": .array(entries.map { $0.serialized(start: s.start) }),
            "stats_total": s.total.serialized(start: s.start),
            "errors": .map(errors),
            "user_classes_count": .map(userClassesCount.sorted { $0.key < $1.key }.map { (.string($0.key), .integer($0.value)) }),
            "user_count": .integer(userCount),
        ])
    }

    /// Locust's `bucket_response_time`: whole ms below 100, then 2 significant digits, Python's
    /// round-half-even.
    public static func bucket(_ ms: Double) -> Int {
        func round(_ x: Double, _ unit: Double) -> Int { Int((x / unit).rounded(.toNearestOrEven) * unit) }
        if ms < 100 { return round(ms, 1) }
        if ms < 1000 { return round(ms, 10) }
        if ms < 10000 { return round(ms, 100) }
        return round(ms, 1000)
    }
}
