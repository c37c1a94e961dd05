import Foundation

/// Merges the event loops' interval samples into run totals, recent windows and history.
/// Confined to the run's control loop.
final class StatsAggregator {
    static let windowSize = 10

    let keys: [StatKey]
    private var cumulative: [EntryAccumulator]
    private var total = EntryAccumulator()
    private var windows: [[LatencyHistogram?]]
    private var totalWindow: [LatencyHistogram?]
    private var windowPosition = 0
    private var lastInterval: [EntryAccumulator]
    private var lastTotal = EntryAccumulator()
    private var lastSeconds = 0.0
    private var failures: [FailureKey: Occurrences] = [:]
    private var lastFailures: [FailureKey: Occurrences] = [:]
    private var exceptions: [String: Occurrences] = [:]
    private(set) var history: HistoryBuffer
    private(set) var intervals: IntervalLog
    private(set) var lastLagNanos: UInt64 = 0
    private(set) var maxLagNanos: UInt64 = 0
    private(set) var iterationsStarted = 0
    private(set) var iterationsDropped = 0
    /// Ticks whose slowest response could be a stall (for ``OmissionDetector``).
    private(set) var slowTicks: [OmissionDetector.TickMaximum] = []
    private var absorbedSeconds = 0.0

    init(keys: [StatKey], historyCapacity: Int) {
        self.keys = keys
        cumulative = Array(repeating: EntryAccumulator(), count: keys.count)
        lastInterval = cumulative
        windows = Array(repeating: Array(repeating: nil, count: Self.windowSize), count: keys.count)
        totalWindow = Array(repeating: nil, count: Self.windowSize)
        history = HistoryBuffer(capacity: historyCapacity)
        intervals = IntervalLog(capacity: historyCapacity)
    }

    /// Adds one interval (one sample per event loop) lasting `seconds`.
    func absorb(_ samples: [IntervalSample], seconds: Double) {
        var interval = Array(repeating: EntryAccumulator(), count: keys.count)
        var intervalTotal = EntryAccumulator()
        var lag: UInt64 = 0
        let startedBefore = iterationsStarted
        lastFailures = [:]
        for sample in samples {
            for (i, e) in sample.entries.enumerated() where e.count > 0 {
                interval[i].add(e)
            }
            for (k, v) in sample.failures {
                if lastFailures[k] == nil { lastFailures[k] = v } else { lastFailures[k]!.add(v) }
                if failures[k] == nil && failures.count >= LoopStats.maxFailureKinds * 5 {
                    let other = FailureKey(stat: k.stat, message: "(other failures: too many distinct messages)")
                    failures[other, default: Occurrences(count: 0, first: v.first, last: v.last)].add(v)
                    continue
                }
                if failures[k] == nil { failures[k] = v } else { failures[k]!.add(v) }
            }
            for (k, v) in sample.exceptions {
                if exceptions[k] == nil { exceptions[k] = v } else { exceptions[k]!.add(v) }
            }
            lag = max(lag, sample.maxLagNanos)
            iterationsStarted += sample.iterationsStarted
            iterationsDropped += sample.iterationsDropped
        }
        windowPosition = (windowPosition + 1) % Self.windowSize
        for i in interval.indices {
            cumulative[i].add(interval[i])
            intervalTotal.add(interval[i])
            windows[i][windowPosition] = interval[i].histogram
        }
        total.add(intervalTotal)
        absorbedSeconds += seconds
        if intervalTotal.count > 0 && Double(intervalTotal.maxMicros) >= OmissionDetector.minimumStallMicros {
            slowTicks.append(.init(end: absorbedSeconds, maxMicros: intervalTotal.maxMicros, lagMicros: lag / 1000))
        }
        intervals.record(keys: keys, interval: interval, total: intervalTotal, seconds: seconds,
                         iterations: iterationsStarted - startedBefore)
        totalWindow[windowPosition] = intervalTotal.histogram
        lastInterval = interval
        lastTotal = intervalTotal
        lastSeconds = seconds
        lastLagNanos = lag
        maxLagNanos = max(maxLagNanos, lag)
    }

    /// Builds a snapshot of everything absorbed so far.
    func snapshot(
        timestamp: Date, elapsed: Double, phase: RunPhase, users: Int, usersByClass: [String: Int],
        arrival: ArrivalStats?, health: GeneratorHealth
    ) -> StatsSnapshot {
        var entries: [EntryStats] = []
        for (i, key) in keys.enumerated() where cumulative[i].count > 0 {
            entries.append(EntryStats(
                method: key.method, name: key.name, cumulative: cumulative[i], elapsed: elapsed,
                current: lastInterval[i], currentSeconds: lastSeconds, window: Self.merge(windows[i])))
        }
        entries.sort { ($0.name, $0.method) < ($1.name, $1.method) }
        let totalStats = EntryStats(
            method: "", name: "Aggregated", cumulative: total, elapsed: elapsed, current: lastTotal,
            currentSeconds: lastSeconds, window: Self.merge(totalWindow))
        let failureList = failures.map { key, occ in
            FailureStats(
                method: keys[key.stat].method, name: keys[key.stat].name, error: key.message,
                occurrences: occ.count, firstSeen: occ.first, lastSeen: occ.last)
        }.sorted { ($0.occurrences, $1.name, $1.error) > ($1.occurrences, $0.name, $0.error) }
        let exceptionList = exceptions.map { ExceptionStats(message: $0.key, count: $0.value.count) }
            .sorted { ($0.count, $1.message) > ($1.count, $0.message) }
        return StatsSnapshot(
            timestamp: timestamp, elapsed: elapsed, phase: phase, users: users, usersByClass: usersByClass,
            entries: entries, total: totalStats, failures: failureList, exceptions: exceptionList,
            arrival: arrival, health: health)
    }

    /// What the last ``absorb(_:seconds:)`` added.
    func lastDelta(time: Date) -> IntervalDelta {
        let entries = keys.indices.filter { lastInterval[$0].count > 0 }.map {
            IntervalDelta.Entry(method: keys[$0].method, name: keys[$0].name, lastInterval[$0])
        }
        let failureList = lastFailures.map { key, occ in
            FailureStats(
                method: keys[key.stat].method, name: keys[key.stat].name, error: key.message,
                occurrences: occ.count, firstSeen: occ.first, lastSeen: occ.last)
        }
        return IntervalDelta(
            time: time, seconds: lastSeconds, entries: entries,
            total: IntervalDelta.Entry(method: "", name: "Aggregated", lastTotal), failures: failureList)
    }

    /// Appends a history point from a snapshot.
    func recordHistory(_ s: StatsSnapshot) {
        history.append(HistoryPoint(
            time: s.timestamp.timeIntervalSince1970, elapsed: s.elapsed, span: lastSeconds, users: s.users,
            rps: s.total.currentRps, fps: s.total.currentFps, percentiles: s.total.currentPercentiles,
            totalRequests: s.total.requests, totalFailures: s.total.failures))
    }

    private static func merge(_ ring: [LatencyHistogram?]) -> LatencyHistogram? {
        var out: LatencyHistogram?
        for h in ring {
            guard let h else { continue }
            if out == nil { out = h } else { out!.add(h) }
        }
        return out
    }
}
