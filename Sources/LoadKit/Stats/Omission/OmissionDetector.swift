import Foundation
import Histogram

/// Builds an ``OmissionReport`` from a closed-model run's histograms and its per-tick slowest responses.
enum OmissionDetector {
    /// A stall is a response at least this many expected intervals long…
    static let stallFactor = 10.0
    /// …and at least this long (microseconds): shorter gaps do not change what a user would see.
    static let minimumStallMicros = 10_000.0

    /// The slowest response of one statistics tick, which ended `end` seconds into the run, and the
    /// generator's own worst event-loop lag in that tick.
    struct TickMaximum: Sendable {
        var end: Double
        var maxMicros: UInt64
        var lagMicros: UInt64 = 0
    }

    static func report(
        classes: [UserClassSpec], entries: [EntryStats], total: EntryStats, ticks: [TickMaximum],
        duration: Double, correct: Bool
    ) -> OmissionReport? {
        guard let histogram = total.histogram, histogram.totalCount > 0 else { return nil }
        let interval = max(1, expectedIntervalMicros(classes: classes, medianMicros: Double(histogram.values(atPercentiles: [50])[0])))
        let threshold = max(stallFactor * interval, minimumStallMicros)
        let affected = blockedSeconds(ticks, atLeast: UInt64(threshold))
        // Stalls the generator's own event-loop lag explains are reported by the health warnings instead.
        let stalled = affected > 0 && UInt64(threshold) <= histogram.maxRecorded
            ? Int(histogram.count(within: UInt64(threshold)...histogram.maxRecorded)) : 0
        var report = OmissionReport(
            expectedIntervalMs: interval / 1000, thresholdMs: threshold / 1000, stalledRequests: stalled,
            worstMs: total.maxMs, affectedSeconds: affected,
            affectedPercent: duration > 0 ? min(100, affected / duration * 100) : 0, backfilledSamples: 0)
        if correct {
            let rows = (entries + [total]).map { corrected($0, interval: UInt64(interval)) }
            report.corrected = rows
            report.backfilledSamples = rows.last.map { $0.correctedCount - $0.requests } ?? 0
        }
        if stalled > 0 { report.warning = warning(report, correcting: correct) }
        return report
    }

    static func warning(_ r: OmissionReport, correcting: Bool) -> String {
        let factor = r.worstMs / max(r.expectedIntervalMs, 0.001)
        var text = "coordinated omission: \(r.stalledRequests) response(s) took \(NumberFormat.ms(r.thresholdMs)) ms or more"
        text += " (worst \(NumberFormat.ms(r.worstMs)) ms, \(Int(factor))× the expected \(NumberFormat.ms(r.expectedIntervalMs)) ms"
        text += " between a user's requests); users were blocked for \(String(format3: r.affectedSeconds)) s"
        text += " (\(String(format: "%.1f", r.affectedPercent)) % of the run) and sent nothing meanwhile, so the"
        text += " percentiles understate what clients saw"
        text += correcting
            ? "; corrected percentiles (\(r.backfilledSamples) missed samples back-filled) are reported beside the raw ones"
            : "; rerun with --co-correction, or use an arrival rate (open model)"
        return text
    }

    /// The expected interval between one user's requests, microseconds: per class, the median response
    /// time plus the class's mean wait per request (or its pacing, when that sets the interval), combined
    /// over classes as requests are (a harmonic mean weighted by users).
    static func expectedIntervalMicros(classes: [UserClassSpec], medianMicros: Double) -> Double {
        var users = 0.0
        var requestsPerMicro = 0.0
        for c in classes {
            let n = Double(c.fixedCount ?? max(c.weight, 0))
            let taskWeight = c.tasks.reduce(0) { $0 + max($1.weight, 0) }
            guard n > 0, taskWeight > 0 else { continue }
            let perTask = c.tasks.reduce(0.0) { $0 + Double(max($1.weight, 0) * $1.requests.count) } / Double(taskWeight)
            guard perTask > 0 else { continue }
            let busy = perTask * medianMicros
            let iteration: Double = switch c.wait {
            case .none: busy
            case .between(let lo, let hi): busy + (lo + hi) / 2 * 1e6
            case .constant(let s): busy + s * 1e6
            case .constantPacing(let s): max(busy, s * 1e6)
            case .constantThroughput(let rate): rate > 0 ? max(busy, 1e6 / rate) : busy
            }
            let interval = max(iteration / perTask, 1)
            users += n
            requestsPerMicro += n / interval
        }
        return requestsPerMicro > 0 ? users / requestsPerMicro : max(medianMicros, 1)
    }

    /// Seconds covered by the union of `[end - max, end]` over ticks whose slowest response reached
    /// `threshold` beyond the generator's own lag in that tick.
    static func blockedSeconds(_ ticks: [TickMaximum], atLeast threshold: UInt64) -> Double {
        let windows = ticks.filter { $0.maxMicros >= threshold && $0.maxMicros - min($0.lagMicros, $0.maxMicros) >= threshold }
            .map { (start: max(0, $0.end - Double($0.maxMicros) / 1e6), end: $0.end) }
            .sorted { $0.start < $1.start }
        var total = 0.0
        var current: (start: Double, end: Double)?
        for w in windows {
            if let c = current, w.start <= c.end {
                current = (c.start, max(c.end, w.end))
            } else {
                if let c = current { total += c.end - c.start }
                current = w
            }
        }
        if let c = current { total += c.end - c.start }
        return total
    }

    /// The entry's histogram re-recorded with the expected interval: each response of `v` µs also stands
    /// for the requests the blocked user would have sent, `v - interval`, `v - 2 × interval`, … µs.
    static func corrected(_ e: EntryStats, interval: UInt64) -> CorrectedEntry {
        var out = LatencyHistogram.latency()
        if let h = e.histogram {
            for v in h.recordedValues() {
                _ = out.recordCorrectedValue(v.value, count: v.count, expectedInterval: interval)
            }
        }
        var percentiles = out.values(atPercentiles: EntryStats.levels).map { Double($0) / 1000 }
        // As for the raw numbers: the histogram's max is bucket-rounded, the measured one is exact.
        if out.totalCount > 0 { percentiles[percentiles.count - 1] = e.maxMs }
        return CorrectedEntry(
            method: e.method, name: e.name, requests: e.requests, correctedCount: Int(out.totalCount),
            rawPercentiles: e.percentiles, percentiles: percentiles)
    }
}
