import Foundation

/// The one-screen summary `firedrill drill` prints at the end.
public enum DrillSummary {
    /// Renders the outcome, key times, every expectation and failed step, and where the report is.
    public static func render(_ journal: DrillJournal, reportDirectory: String?) -> String {
        var lines: [String] = []
        let facts = JournalFacts(journal)
        let verdict = facts.verdict.text
        let skipped = journal.skippedCount
        lines.append("")
        lines.append("══ \(journal.title) — \(verdict)\(skipped > 0 ? " (\(skipped) check\(skipped == 1 ? "" : "s") skipped, not passed)" : "")")
        lines.append("took \(DrillFormat.seconds(facts.duration)) · time to detect \(DrillFormat.seconds(journal.keyTimes.timeToDetect))"
            + " · to notify \(DrillFormat.seconds(journal.keyTimes.timeToNotify))"
            + " · to recover \(DrillFormat.seconds(journal.keyTimes.timeToRecover))")
        if let fidelity = journal.fidelity { lines.append(DrillFormat.fidelity(fidelity)) }
        if let gap = journal.stack.monitoringGap { lines.append("note: \(gap)") }
        if let reason = journal.reason { lines.append("why: \(reason)") }
        let checks: [(DrillJournal.Outcome, Int, String, String)] =
            journal.steadyStateBefore.map { ($0.outcome, $0.line, "before: \($0.name)", $0.detail) }
            + journal.steps.filter { $0.isExpectation || $0.outcome == .failed }.map { ($0.outcome, $0.line, $0.title, $0.detail) }
            + journal.steadyStateAfter.map { ($0.outcome, $0.line, "after: \($0.name)", $0.detail) }
        for (outcome, line, title, detail) in checks {
            let mark = switch outcome {
            case .passed: "✓"
            case .failed: "✗"
            case .skipped: "–"
            }
            lines.append(" \(mark) \(journal.runbook):\(line)  \(title)")
            if outcome == .failed || (outcome == .skipped && !(journal.stack.monitoringGap.map(detail.contains) ?? false)) {
                lines.append("     \(detail)")
            } else if outcome == .skipped {
                lines.append("     skipped, not passed: needs the monitoring the note above says is missing")
            }
        }
        if let reportDirectory {
            lines.append("report: \(reportDirectory)/report.html (journal.json, junit.xml, stack logs in stack/)")
        }
        return lines.joined(separator: "\n")
    }

    /// The time scale for people, e.g. `1/30 (30× faster than real time: an incident minute takes 2.0 s)`.
    public static func timeScale(_ scale: Double) -> String { DrillFormat.timeScale(scale) }
}
