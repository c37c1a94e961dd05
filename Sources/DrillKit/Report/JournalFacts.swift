import Foundation

/// What the report renderers derive from a journal: offsets from the start, the shared x range,
/// the verdict, the failing checks. (A wrapper rather than an extension so the runner's own
/// extensions of `DrillJournal` cannot clash with these names.)
struct JournalFacts {
    /// A check that did not pass, for the "what failed" summary.
    struct Problem {
        var section: String
        var line: Int
        var title: String
        var outcome: DrillJournal.Outcome
        var detail: String
    }

    let journal: DrillJournal

    init(_ journal: DrillJournal) {
        self.journal = journal
    }

    /// Seconds from the start to the end, 0 when the end is missing or before the start.
    var duration: Double {
        let d = journal.endedAt.timeIntervalSince(journal.startedAt)
        return d.isFinite ? max(d, 0) : 0
    }

    /// Seconds from the drill's start to `date`.
    func offset(_ date: Date) -> Double {
        date.timeIntervalSince(journal.startedAt)
    }

    /// The x range every chart and the timeline share: the run, stretched to cover every sample and event.
    var xRange: ClosedRange<Double> {
        let xs = (journal.series.map(\.at) + journal.timeline.map(\.at)).map(offset).filter(\.isFinite)
        let lower = min(xs.min() ?? 0, 0)
        let upper = max(xs.max() ?? 0, duration, lower + 1)
        return lower...upper
    }

    /// `PASSED`, `FAILED`, `ABORTED` or `INTERRUPTED`, and the CSS class for it.
    var verdict: (text: String, cssClass: String) {
        switch journal.status {
        case .interrupted: return ("INTERRUPTED", "interrupted")
        case .aborted: return ("ABORTED", "aborted")
        case .completed, .failed: return journal.passed ? ("PASSED", "passed") : ("FAILED", "failed")
        }
    }

    /// The runbook's file name, e.g. `memory-leak.md`.
    var runbookFile: String {
        journal.runbook.split(separator: "/").last.map(String.init) ?? journal.runbook
    }

    /// The title as `lowercase-words`, for JUnit class names; `drill` when nothing is left.
    var slug: String {
        var out = ""
        for c in journal.title.lowercased().unicodeScalars {
            if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) {
                out.unicodeScalars.append(c)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "drill" : out
    }

    /// Failed checks and steps, then skipped expectations, in run order.
    var problems: [Problem] {
        func probes(_ section: String, _ results: [DrillJournal.ProbeResult]) -> [Problem] {
            results.filter { $0.outcome != .passed }
                .map { Problem(section: section, line: $0.line, title: $0.name, outcome: $0.outcome, detail: $0.detail) }
        }
        func steps(_ section: String, _ results: [DrillJournal.StepResult]) -> [Problem] {
            results.filter { $0.outcome == .failed || ($0.outcome == .skipped && $0.isExpectation) }
                .map { Problem(section: section, line: $0.line, title: $0.title, outcome: $0.outcome, detail: $0.detail) }
        }
        let all = probes("steady state before", journal.steadyStateBefore) + steps("method", journal.steps)
            + probes("steady state after", journal.steadyStateAfter) + steps("rollbacks", journal.rollbacks)
        return all.filter { $0.outcome == .failed } + all.filter { $0.outcome == .skipped }
    }
}
