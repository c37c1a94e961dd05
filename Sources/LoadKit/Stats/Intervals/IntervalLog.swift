/// Per-name interval statistics of a run, one record per tick, bounded like the history: when a
/// series reaches `capacity`, neighbouring records are merged pairwise.
struct IntervalLog: Sendable {
    let capacity: Int
    private var names: [String] = []
    private var series: [String: [IntervalStats]] = [:]
    private var elapsed = 0.0

    init(capacity: Int) {
        self.capacity = max(capacity, 4) & ~1
    }

    /// Records one interval: `interval[i]` holds the requests of `keys[i]`; methods sharing a name are combined.
    mutating func record(keys: [StatKey], interval: [EntryAccumulator], total: EntryAccumulator, seconds: Double,
                         iterations: Int) {
        elapsed += seconds
        var byName: [String: EntryAccumulator] = [:]
        for (i, key) in keys.enumerated() {
            byName[key.name, default: EntryAccumulator()].add(interval[i])
        }
        for (name, acc) in byName.sorted(by: { $0.key < $1.key }) {
            // A name enters the log with its first request; from then on every interval counts (even empty).
            guard acc.count > 0 || series[name] != nil else { continue }
            append(Self.stats(acc, elapsed: elapsed, span: seconds, iterations: 0), to: name)
        }
        append(Self.stats(total, elapsed: elapsed, span: seconds, iterations: iterations), to: "Aggregated")
        if series.values.contains(where: { $0.count >= capacity }) {
            for (name, list) in series {
                series[name] = stride(from: 0, to: list.count - 1, by: 2).map { list[$0].merged(with: list[$0 + 1]) }
                    + (list.count % 2 == 1 ? [list[list.count - 1]] : [])
            }
        }
    }

    /// The series, `Aggregated` last.
    var all: [IntervalSeries] {
        names.filter { $0 != "Aggregated" }.sorted().map { IntervalSeries(name: $0, intervals: series[$0] ?? []) }
            + (series["Aggregated"].map { [IntervalSeries(name: "Aggregated", intervals: $0)] } ?? [])
    }

    private mutating func append(_ s: IntervalStats, to name: String) {
        if series[name] == nil { names.append(name) }
        series[name, default: []].append(s)
    }

    private static func stats(_ acc: EntryAccumulator, elapsed: Double, span: Double, iterations: Int) -> IntervalStats {
        let p = acc.histogram.map { h in h.values(atPercentiles: [50, 90, 95, 99]).map { Double($0) / 1000 } }
            ?? [0, 0, 0, 0]
        return IntervalStats(
            elapsed: elapsed, span: span, requests: acc.count, failures: acc.failures,
            meanMs: acc.count > 0 ? Double(acc.sumMicros) / Double(acc.count) / 1000 : 0,
            p50Ms: p[0], p90Ms: p[1], p95Ms: p[2], p99Ms: p[3],
            maxMs: Double(acc.maxMicros) / 1000, iterations: iterations)
    }
}
