import Foundation

/// What a generated drill needs beyond the curves: how the service was set up and what was done to
/// it during the window, inferred from csv-analyzer's own metrics (see README, "Incident → drill").
public enum IncidentInference {
    /// csv-analyzer's gauges and counters over the window, one sample per step (nil: no value).
    public struct Signals: Sendable, Equatable {
        /// `csv_analyzer_workers_desired`.
        public var workersDesired: [Double?] = []
        /// `process_memory_limit_bytes`.
        public var memoryLimit: [Double?] = []
        /// `csv_analyzer_retained_bytes{component="feature_cache"}`, summed over workers.
        public var featureCache: [Double?] = []
        /// `predictions_total` (rows predicted), summed.
        public var predictions: [Double?] = []
        /// `http_requests_total` without `/metrics`, summed.
        public var requests: [Double?] = []
        /// `csv_analyzer_worker_restarts_total` by `cause`.
        public var restarts: [String: [Double?]] = [:]
        /// `csv_analyzer_fault_active` by `fault`.
        public var faults: [String: [Double?]] = [:]

        public init() {}
    }

    /// How the service ran when the window opened.
    public struct Setup: Sendable, Equatable {
        public var workers: Int?
        public var memoryLimitBytes: Double?
        /// The legacy (leaking) `generate_features` ran from the start.
        public var legacy = false
        /// `--leak-scale` that makes the drill's iris rows leak as many bytes per predicted row.
        public var leakScale: Int?
        /// Workers were already recycled after this many requests.
        public var maxRequests: Int?
    }

    /// Something done to the service during the window.
    public struct Action: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case scale(workers: Int?, maxRequests: Int?)
            /// A rolling restart; `patched` when the leak stopped after it.
            case restart(patched: Bool)
            case faultSet(String)
            case faultClear(String)
        }

        /// Index of the sample where it was first seen.
        public var index: Int
        public var kind: Kind
        /// The metric change it was read from, for the runbook.
        public var evidence: String
    }

    /// Bytes one predicted row of the drill's seed dataset (iris: 4 features of 8 bytes) leaks per
    /// unit of `--leak-scale`.
    public static let seedRowBytes = 32.0
    /// A feature cache under this is no leak (the patched implementation keeps nothing).
    static let leakFloor = 1_048_576.0

    /// The setup at the window's start.
    /// - Parameter firstAlert: index of the first alert's firing (the leak rate is read before it).
    public static func setup(_ s: Signals, firstAlert: Int?) -> Setup {
        var setup = Setup()
        setup.workers = s.workersDesired.compactMap { $0 }.first.map { Int($0) }
        setup.memoryLimitBytes = s.memoryLimit.compactMap { $0 }.first(where: { $0 > 0 })
        let cache = s.featureCache
        let faultLeakAtStart = (s.faults["feature_leak"]?.first ?? nil).map { $0 > 0 } ?? false
        if let peak = cache.compactMap({ $0 }).max(), peak > leakFloor, !faultLeakAtStart,
           let firstGrowth = growthIndices(cache).first, firstGrowth <= max(2, cache.count / 10) {
            setup.legacy = true
        }
        if setup.legacy || (s.faults["feature_leak"] != nil) {
            let end = min(firstAlert ?? cache.count, cache.count)
            var leaked = 0.0, rows = 0.0
            for i in growthIndices(cache) where i < end {
                guard let c = cache[i], let p = cache[i - 1], let r = value(s.predictions, i), let q = value(s.predictions, i - 1), r >= q else { continue }
                leaked += c - p
                rows += r - q
            }
            if rows > 0 { setup.leakScale = min(100_000, max(1, Int((leaked / rows / seedRowBytes).rounded()))) }
        }
        if let recycled = s.restarts["max_requests"], let first = increments(recycled).first, first <= max(2, recycled.count / 10) {
            setup.maxRequests = requestsPerRecycle(s, from: 0)
        }
        return setup
    }

    /// The actions seen in the window, in time order.
    public static func actions(_ s: Signals) -> [Action] {
        var actions: [Action] = []
        // Against the last known value: a scrape missed during the change leaves a gap.
        var known: Double?
        for (i, value) in s.workersDesired.enumerated() {
            guard let now = value else { continue }
            if let before = known, now != before {
                actions.append(.init(index: i, kind: .scale(workers: Int(now), maxRequests: nil),
                                     evidence: "csv_analyzer_workers_desired \(Int(before)) → \(Int(now))"))
            }
            known = now
        }
        // Recycling that starts after a scale is that scale's max_requests.
        if let recycled = s.restarts["max_requests"], let first = increments(recycled).first,
           let scale = actions.lastIndex(where: { $0.index <= first + 2 }), case .scale(let workers, _) = actions[scale].kind,
           let perRecycle = requestsPerRecycle(s, from: actions[scale].index) {
            actions[scale].kind = .scale(workers: workers, maxRequests: perRecycle)
            actions[scale].evidence += "; then workers recycled (csv_analyzer_worker_restarts_total{cause=\"max_requests\"}) about every \(perRecycle) requests"
        }
        if let rolling = s.restarts["rolling"] {
            var last = -10
            for i in increments(rolling) where i - last > 15 {
                // Patched when the feature cache, large before, is nearly empty by the end.
                let before = s.featureCache[..<min(i, s.featureCache.count)].compactMap { $0 }.max() ?? 0
                let after = s.featureCache.suffix(max(1, (s.featureCache.count - i) / 3)).compactMap { $0 }.max() ?? 0
                let patched = before > leakFloor && after < before * 0.05
                actions.append(.init(index: i, kind: .restart(patched: patched),
                                     evidence: "csv_analyzer_worker_restarts_total{cause=\"rolling\"} rose"
                                         + (patched ? "; feature_cache then fell from \(mib(before)) to \(mib(after))" : "")))
                last = i
            }
        }
        for (fault, values) in s.faults.sorted(by: { $0.key < $1.key }) {
            var active = false
            for (i, value) in values.enumerated() {
                let on = (value ?? 0) > 0
                if on != active {
                    actions.append(.init(index: i, kind: on ? .faultSet(fault) : .faultClear(fault),
                                         evidence: "csv_analyzer_fault_active{fault=\"\(fault)\"} \(on ? "0 → 1" : "1 → 0")"))
                    active = on
                }
            }
        }
        return actions.sorted { $0.index < $1.index }
    }

    /// Indices where a gauge grew (from a known previous value).
    static func growthIndices(_ values: [Double?]) -> [Int] {
        values.indices.dropFirst().filter { i in
            guard let now = values[i], let before = values[i - 1] else { return false }
            return now > before
        }
    }

    /// Indices where a counter rose.
    static func increments(_ values: [Double?]) -> [Int] { growthIndices(values) }

    /// Requests served per max_requests recycle from index `from` to the last recycle, rounded to
    /// two significant digits.
    static func requestsPerRecycle(_ s: Signals, from: Int) -> Int? {
        guard let recycled = s.restarts["max_requests"], let last = increments(recycled).last, last > from,
              let r0 = value(recycled, from) ?? recycled.compactMap({ $0 }).first, let r1 = value(recycled, last),
              let q0 = value(s.requests, from), let q1 = value(s.requests, last), r1 > r0, q1 > q0 else { return nil }
        return significant((q1 - q0) / (r1 - r0))
    }

    static func value(_ values: [Double?], _ i: Int) -> Double? { values.indices.contains(i) ? values[i] : nil }

    static func significant(_ x: Double) -> Int {
        guard x >= 100 else { return max(1, Int(x.rounded())) }
        let magnitude = pow(10, floor(log10(x)) - 1)
        return Int((x / magnitude).rounded() * magnitude)
    }

    static func mib(_ bytes: Double) -> String { String(format: "%.0f MiB", bytes / 1_048_576) }
}
