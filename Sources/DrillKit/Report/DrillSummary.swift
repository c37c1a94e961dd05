import Foundation

/// The one-screen summary `firedrill drill` prints at the end.
public enum DrillSummary {
    /// Renders the outcome, key times, every expectation and failed step, and where the report is.
    public static func render(_ journal: DrillJournal, reportDirectory: String?) -> String {
        var lines: [String] = []
        let verdict = journal.status == .interrupted ? "INTERRUPTED"
            : journal.passed ? "PASSED" : journal.status == .aborted ? "ABORTED" : "FAILED"
        let skipped = journal.skippedCount
        lines.append("")
        lines.append("══ \(journal.title) — \(verdict)\(skipped > 0 ? " (\(skipped) check\(skipped == 1 ? "" : "s") skipped, not passed)" : "")")
        lines.append("took \(duration(journal.endedAt.timeIntervalSince(journal.startedAt))) · time to detect \(optional(journal.keyTimes.timeToDetect))"
            + " · to notify \(optional(journal.keyTimes.timeToNotify)) · to recover \(optional(journal.keyTimes.timeToRecover))")
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
            if outcome != .passed { lines.append("     \(detail)") }
        }
        if let reportDirectory {
            lines.append("report: \(reportDirectory)/report.html (journal.json, junit.xml, stack logs in stack/)")
        }
        return lines.joined(separator: "\n")
    }

    static func optional(_ seconds: Double?) -> String { seconds.map(duration) ?? "—" }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }
}
