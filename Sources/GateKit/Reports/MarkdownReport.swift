import Foundation

/// A comparison as GitHub/GitLab-flavoured Markdown, sized for a pull-request comment: a headline
/// verdict, then one table row per metric with ↑/↓ arrows. Long reports keep every `Aggregated`
/// row and every row that is not `same`, and say how many they left out.
public enum MarkdownReport {
    /// Most table rows before unchanged per-name rows are left out.
    public static let maxRows = 40

    /// The Markdown text.
    public static func render(_ report: ComparisonReport, failOnInconclusive: Bool = false) -> String {
        let worse = report.regressions.count, unsure = report.inconclusive.count
        let better = report.rows.filter { $0.verdict == .better }.count
        let headline: String
        if worse > 0 {
            headline = "❌ **regression**: \(worse) metric(s) worse"
        } else if failOnInconclusive && unsure > 0 {
            headline = "⚠️ **inconclusive**: \(unsure) metric(s) could not be decided (failing: --fail-on-inconclusive)"
        } else {
            headline = "✅ **no regression**" + (better > 0 ? " (\(better) better)" : "")
                + (unsure > 0 ? ", \(unsure) inconclusive" : "")
        }
        let s = report.settings
        var out = "### firedrill compare: \(report.kind)\n\n\(headline)\n\n"
        out += "base `\(report.baseLabel)` → new `\(report.newLabel)` · confidence \(ValueFormat.percent(s.confidence))"
        out += " · min effect \(ValueFormat.percent(s.minEffect))\n\n"
        var rows = report.rows
        var hidden = 0
        if rows.count > maxRows {
            rows = report.rows.filter { $0.name == "Aggregated" || $0.name == "drill" || $0.verdict != .same }
            hidden = report.rows.count - rows.count
        }
        out += "| name | metric | base | new | change | verdict | estimate [CI] |\n"
        out += "|---|---|---:|---:|---:|---|---|\n"
        for r in rows {
            out += "| \(cell(r.name)) | \(r.metric) | \(ValueFormat.value(r.base, r.unit)) | \(ValueFormat.value(r.new, r.unit)) "
            out += "| \(ValueFormat.delta(r)) | \(badge(r.verdict))\(r.gated ? "" : " (not gated)") | \(cell(ValueFormat.interval(r))) |\n"
        }
        if hidden > 0 { out += "\n\(hidden) per-name row(s) judged `same` are not shown.\n" }
        if !report.notes.isEmpty {
            out += "\n" + report.notes.map { "- \(cell($0))" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func badge(_ v: Verdict) -> String {
        switch v {
        case .better: return "🟢 better"
        case .worse: return "🔴 worse"
        case .same: return "⚪ same"
        case .inconclusive: return "🟡 inconclusive"
        }
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
