import Foundation

/// `firedrill merge`: several processes' `--json` summaries (Locust workers, `--segment` shares) as
/// one run. Counts, sums, minima and maxima add up exactly; latencies merge HdrHistograms (`add`),
/// so percentiles are those of all requests at HdrHistogram precision (3 significant digits);
/// thresholds are evaluated on the merged statistics.
public struct RunMerge: Sendable {
    /// The merged run.
    public var summary: RunSummary
    /// A plan standing for the merged processes (host of the first file; users: the sum of peaks).
    public var plan: LoadPlan
    /// The thresholds evaluated (those of the files, without repeats, then `extra`).
    public var thresholds: [Threshold]

    /// Merges the files at `paths`; `extra` thresholds are added to the files' own.
    public static func merge(paths: [String], extra: [Threshold] = []) throws -> RunMerge {
        guard !paths.isEmpty else { throw RunRecordError(path: "-", message: "no files to merge") }
        let files = try paths.map { (p) throws(RunRecordError) in try RunFile.load(path: p) }
        var seen = Set<String>()
        var thresholds: [Threshold] = []
        for (file, path) in zip(files, paths) {
            for t in file.summary.thresholds where seen.insert(t.threshold).inserted {
                do {
                    thresholds.append(try Threshold.parseFlag(t.threshold))
                } catch {
                    throw RunRecordError(path: path, message: "threshold '\(t.threshold)': \(error)")
                }
            }
        }
        for t in extra where seen.insert(t.description).inserted { thresholds.append(t) }
        let snapshot = mergedSnapshot(files)
        let start = files.map(\.summary.startTime).min()!
        let end = files.map(\.summary.endTime).max()!
        let peak = files.reduce(0) { $0 + ($1.summary.ramps?.map(\.users).max() ?? 0) }
        let summary = RunSummary(
            startTime: start, endTime: end, duration: snapshot.elapsed, stats: snapshot,
            history: mergedHistory(files),
            thresholds: thresholds.map { ThresholdResult(evaluating: $0, in: snapshot) },
            endReason: Set(files.map(\.summary.endReason)).sorted().joined(separator: ", "),
            abandonedRequests: files.reduce(0) { $0 + $1.summary.abandonedRequests }, ramps: [])
        let plan = LoadPlan(
            host: files[0].host, userClasses: [],
            load: .closed(users: peak, spawnRate: 1, runTime: snapshot.elapsed), thresholds: thresholds)
        return RunMerge(summary: summary, plan: plan, thresholds: thresholds)
    }

    static func accumulator(_ e: RunFile.Entry, _ hdr: HDRSnapshot?) -> EntryAccumulator {
        var a = EntryAccumulator()
        a.count = e.requests
        a.failures = e.failures
        a.sumMicros = UInt64((e.avgMs * 1000 * Double(e.requests)).rounded())
        a.minMicros = e.requests > 0 ? UInt64((e.minMs * 1000).rounded()) : .max
        a.maxMicros = UInt64((e.maxMs * 1000).rounded())
        a.sumBytes = e.totalContentBytes
        a.histogram = hdr?.histogram()
        return a
    }

    static func mergedSnapshot(_ files: [RunFile]) -> StatsSnapshot {
        let elapsed = files.map(\.summary.duration).max() ?? 0
        var entries: [String: (method: String, name: String, acc: EntryAccumulator)] = [:]
        var total = EntryAccumulator()
        var failures: [String: FailureStats] = [:]
        var exceptions: [String: Int] = [:]
        for f in files {
            let hdr = Dictionary((f.hdr ?? []).map { ($0.method + " " + $0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for e in f.summary.stats.entries {
                let key = e.method + " " + e.name
                let acc = accumulator(e, hdr[key])
                if entries[key] == nil { entries[key] = (e.method, e.name, acc) } else { entries[key]!.acc.add(acc) }
            }
            total.add(accumulator(f.summary.stats.total, hdr[" Aggregated"]))
            for x in f.summary.stats.failures {
                let key = "\(x.method) \(x.name) \(x.error)"
                if var old = failures[key] {
                    old.occurrences += x.occurrences
                    old.firstSeen = min(old.firstSeen, x.firstSeen)
                    old.lastSeen = max(old.lastSeen, x.lastSeen)
                    failures[key] = old
                } else {
                    failures[key] = x
                }
            }
            for x in f.summary.stats.exceptions { exceptions[x.message, default: 0] += x.count }
        }
        let list = entries.values.map {
            EntryStats(method: $0.method, name: $0.name, cumulative: $0.acc, elapsed: elapsed,
                       current: EntryAccumulator(), currentSeconds: 0, window: nil)
        }.sorted { ($0.name, $0.method) < ($1.name, $1.method) }
        return StatsSnapshot(
            timestamp: Date(), elapsed: elapsed, phase: .stopped, users: 0, usersByClass: [:], entries: list,
            total: EntryStats(method: "", name: "Aggregated", cumulative: total, elapsed: elapsed,
                              current: EntryAccumulator(), currentSeconds: 0, window: nil),
            failures: failures.values.sorted { ($0.occurrences, $1.name, $1.error) > ($1.occurrences, $0.name, $0.error) },
            exceptions: exceptions.map { ExceptionStats(message: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.message) > ($1.count, $0.message) },
            arrival: nil,
            health: GeneratorHealth(threads: 0, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0,
                                    warnings: [], saturated: false))
    }

    /// One point per second of wall time: rates and users summed over the files, totals carried
    /// forward per file, percentiles the worst of the files' (Locust's history is no more exact).
    static func mergedHistory(_ files: [RunFile]) -> [HistoryPoint] {
        let start = files.map(\.summary.startTime).min()!.timeIntervalSince1970
        var seconds = Set<Int>()
        for f in files { for p in f.summary.history { seconds.insert(Int(p.time.rounded())) } }
        var last = Array(repeating: (requests: 0, failures: 0), count: files.count)
        var cursor = Array(repeating: 0, count: files.count)
        var out: [HistoryPoint] = []
        for second in seconds.sorted() {
            var point = HistoryPoint(
                time: Double(second), elapsed: Double(second) - start, span: 1, users: 0, rps: 0, fps: 0,
                percentiles: Array(repeating: 0, count: EntryStats.levels.count), totalRequests: 0, totalFailures: 0)
            for (i, f) in files.enumerated() {
                let h = f.summary.history
                while cursor[i] < h.count, Int(h[cursor[i]].time.rounded()) <= second {
                    let p = h[cursor[i]]
                    last[i] = (p.totalRequests, p.totalFailures)
                    if Int(p.time.rounded()) == second {
                        point.users += p.users
                        point.rps += p.rps
                        point.fps += p.fps
                        point.percentiles = zip(point.percentiles, p.percentiles).map { max($0, $1) }
                    }
                    cursor[i] += 1
                }
                point.totalRequests += last[i].requests
                point.totalFailures += last[i].failures
            }
            out.append(point)
        }
        return out
    }
}
