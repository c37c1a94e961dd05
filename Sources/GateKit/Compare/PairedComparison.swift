import Foundation
import LoadKit

/// The comparison of `firedrill ab`: rounds of A and B run in ABBA order; each A round is paired
/// with its neighbouring B round and their intervals are paired by position, so noise that moves
/// both (another job on the machine, a warm cache) cancels in the differences. Judged with the
/// Wilcoxon signed-rank interval on the paired differences.
public enum PairedComparison {
    /// Compares A (base) with B (new). `pairs` holds (A round, B round) runs of one scenario.
    public static func compare(
        pairs: [(a: RunRecord, b: RunRecord)], aLabel: String, bLabel: String, settings: GateSettings
    ) throws(GateError) -> ComparisonReport {
        guard let first = pairs.first else { throw GateError("no complete A/B pair of rounds to compare") }
        let names = first.a.names.filter(Set(first.b.names).contains)
        let open = first.a.summary.stats.arrival != nil
        let cells = ([nil] + (names.count > 1 ? names.map { Optional($0) } : [])).flatMap { name in
            GateMetric.all(openModel: open).filter { name == nil || $0 != .achievedRate }.map { (name, $0) }
        }
        let diffs = cells.map { name, metric in differences(pairs, name: name, metric: metric, settings: settings) }
        let confidence = settings.perTestConfidence(
            zip(cells, diffs).filter { cell, d in cell.1.isGated && d.count >= settings.minSamples }.count)
        var rows: [MetricComparison] = []
        for ((name, metric), d) in zip(cells, diffs) {
            var shift: ShiftEstimate?
            var note = ""
            if d.count < settings.minSamples {
                note = "too few paired intervals (\(d.count); need \(settings.minSamples))"
            } else {
                shift = RankStatistics.paired(d, confidence: confidence)
                if shift == nil { note = "too few paired intervals for the confidence asked" }
            }
            rows.append(RunComparison.row(
                name: name ?? "Aggregated", metric: metric,
                base: median(pairs.compactMap { metric.whole($0.a, name: name) }),
                new: median(pairs.compactMap { metric.whole($0.b, name: name) }),
                shift: shift, settings: settings, samples: (d.count, d.count), note: note))
        }
        let notes = ["\(pairs.count) pair(s) of rounds in ABBA order; base and new values are medians over rounds",
                     GateMetric.notGatedNote]
        return ComparisonReport(kind: "A/B rounds", baseLabel: aLabel, newLabel: bLabel, settings: settings,
                                rows: rows, notes: notes)
    }

    /// new − base on the test's scale, interval k of each A round against interval k of its B round.
    static func differences(_ pairs: [(a: RunRecord, b: RunRecord)], name: String?, metric: GateMetric,
                            settings: GateSettings) -> [Double] {
        var out: [Double] = []
        for p in pairs {
            let a = settings.usable(p.a.intervals(named: name) ?? [])
            let b = settings.usable(p.b.intervals(named: name) ?? [])
            for (x, y) in zip(a, b) {
                guard let u = metric.sample(x), let v = metric.sample(y) else { continue }
                out.append(metric.transform(v) - metric.transform(u))
            }
        }
        return out
    }

    static func median(_ v: [Double]) -> Double? {
        v.isEmpty ? nil : RankStatistics.median(sorted: v.sorted())
    }
}
