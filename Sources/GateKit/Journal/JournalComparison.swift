import DrillKit
import Foundation

/// `firedrill compare` on two drill journals: whether the drill still passes, and its time to
/// detect, notify and recover. A journal holds one observation of each, so there is no test: a
/// time is `worse` when it grew by more than the minimum effect and by more than `resolution`
/// (the drill's 1 s sampling), `better` when it shrank as much, else `same`.
public enum JournalComparison {
    /// Seconds below which a change in a key time is sampling noise.
    public static let resolution = 1.0

    /// Compares two journals.
    /// - Throws: `GateError` when they ran at different time scales (their times are not comparable).
    public static func compare(
        base: DrillJournal, new: DrillJournal, baseLabel: String, newLabel: String, settings: GateSettings
    ) throws(GateError) -> ComparisonReport {
        guard abs(base.timeScale - new.timeScale) < 1e-9 else {
            throw GateError("\(baseLabel) ran at time scale \(base.timeScale) and \(newLabel) at \(new.timeScale): "
                            + "their times are not comparable; run both drills with the same --time-scale")
        }
        var notes = ["one observation per journal: times are judged by the minimum effect and a \(Int(resolution)) s resolution, not by a test"]
        if base.title != new.title { notes.append("different drills: \(base.title) vs \(new.title)") }
        let passedVerdict: Verdict = base.passed == new.passed ? .same : (new.passed ? .better : .worse)
        var rows = [MetricComparison(
            name: "drill", metric: "passed", unit: .flag, base: base.passed ? 1 : 0, new: new.passed ? 1 : 0,
            relative: false, shift: nil, verdict: passedVerdict, samples: (1, 1), note: "")]
        let times: [(String, KeyPath<DrillJournal.KeyTimes, Double?>)] = [
            ("time to detect", \.timeToDetect), ("time to notify", \.timeToNotify), ("time to recover", \.timeToRecover),
        ]
        for (metric, path) in times {
            let b = base.keyTimes[keyPath: path], n = new.keyTimes[keyPath: path]
            var verdict = Verdict.inconclusive
            var note = ""
            if let b, let n {
                let tolerance = max(settings.minEffect * b, resolution)
                verdict = n - b > tolerance ? .worse : (b - n > tolerance ? .better : .same)
            } else if b != nil {
                verdict = .worse
                note = "did not happen in \(newLabel)"
            } else if n != nil {
                note = "did not happen in \(baseLabel)"
            } else {
                verdict = .same
                note = "in neither"
            }
            rows.append(MetricComparison(
                name: "drill", metric: metric, unit: .seconds, base: b, new: n, relative: true, shift: nil,
                verdict: verdict, samples: (1, 1), note: note))
        }
        return ComparisonReport(kind: "drill journals", baseLabel: baseLabel, newLabel: newLabel, settings: settings,
                                rows: rows, notes: notes)
    }
}
