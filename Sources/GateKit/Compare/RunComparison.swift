import Foundation
import LoadKit

/// `firedrill compare BASE.json NEW.json`: every metric of every request name both runs share, and
/// of all requests, judged on the runs' per-interval statistics with a two-sample rank test.
public enum RunComparison {
    /// Compares two load summaries; `baseLabel`/`newLabel` name them in the report and errors.
    /// - Throws: `GateError` when the runs share no request name.
    public static func compare(
        base: RunRecord, new: RunRecord, baseLabel: String, newLabel: String, settings: GateSettings
    ) throws(GateError) -> ComparisonReport {
        let common = base.names.filter(Set(new.names).contains)
        guard !common.isEmpty else {
            throw GateError(
                "\(baseLabel) and \(newLabel) share no request name, so they are not runs of one scenario "
                    + "(\(baseLabel): \(list(base.names)); \(newLabel): \(list(new.names)))")
        }
        var notes: [String] = []
        let onlyBase = base.names.filter { !common.contains($0) }, onlyNew = new.names.filter { !common.contains($0) }
        if !onlyBase.isEmpty { notes.append("only in \(baseLabel): \(list(onlyBase))") }
        if !onlyNew.isEmpty { notes.append("only in \(newLabel): \(list(onlyNew))") }
        for (r, label) in [(base, baseLabel), (new, newLabel)] where r.summary.intervals == nil {
            notes.append("\(label) has no per-interval statistics (written by an older firedrill): verdicts are inconclusive")
        }
        let open = base.summary.stats.arrival != nil && new.summary.stats.arrival != nil
        // One request name: its rows would repeat `Aggregated` and only widen the intervals (Bonferroni).
        let names: [String?] = [nil] + (common.count > 1 ? common.map { Optional($0) } : [])
        let cells = names.flatMap { name in GateMetric.all(openModel: open).filter { name == nil || $0 != .achievedRate }.map { (name, $0) } }
        let samples = cells.map { name, metric in
            (settings.usable(base.intervals(named: name) ?? []).compactMap(metric.sample),
             settings.usable(new.intervals(named: name) ?? []).compactMap(metric.sample))
        }
        // The Bonferroni family is the gated metrics: a shown-only metric costs the others no power.
        let tested = zip(cells, samples).filter { cell, s in
            cell.1.isGated && s.0.count >= settings.minSamples && s.1.count >= settings.minSamples
        }.count
        let confidence = settings.perTestConfidence(tested)
        var rows: [MetricComparison] = []
        for ((name, metric), (x, y)) in zip(cells, samples) {
            var note = ""
            var shift: ShiftEstimate?
            if x.count < settings.minSamples || y.count < settings.minSamples {
                note = "too few intervals (\(x.count) vs \(y.count); need \(settings.minSamples))"
            } else {
                shift = RankStatistics.twoSample(base: x.map(metric.transform), new: y.map(metric.transform),
                                                 confidence: confidence)
                if shift == nil { note = "too few intervals for \(Int(confidence * 1000) / 10) % confidence" }
            }
            rows.append(row(name: name ?? "Aggregated", metric: metric, base: metric.whole(base, name: name),
                            new: metric.whole(new, name: name), shift: shift, settings: settings,
                            samples: (x.count, y.count), note: note))
        }
        if open, let a = base.summary.stats.arrival, let b = new.summary.stats.arrival {
            notes.append(String(format: "offered rate %.2f/s → %.2f/s; dropped iterations %d → %d",
                                a.offeredRate, b.offeredRate, a.dropped, b.dropped))
        }
        notes.append(GateMetric.notGatedNote)
        return ComparisonReport(kind: "load summaries", baseLabel: baseLabel, newLabel: newLabel, settings: settings,
                                rows: rows, notes: notes)
    }

    /// A row from a tested shift: the verdict on the test's scale, the interval on the change's.
    static func row(name: String, metric: GateMetric, base: Double?, new: Double?, shift: ShiftEstimate?,
                    settings: GateSettings, samples: (Int, Int), note: String) -> MetricComparison {
        let verdict = Verdict.judge(shift, margin: metric.margin(settings), higherIsWorse: metric.higherIsWorse)
        let shown = shift.map { s in
            metric.isRelative ? ShiftEstimate(estimate: expm1(s.estimate), lower: expm1(s.lower), upper: expm1(s.upper)) : s
        }
        return MetricComparison(
            name: name, metric: metric.rawValue, unit: metric.unit, base: base, new: new, relative: metric.isRelative,
            shift: shown, verdict: verdict, samples: samples, note: note,
            gated: metric.isGated)
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
    }
}
