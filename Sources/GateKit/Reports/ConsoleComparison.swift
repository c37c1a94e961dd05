import Foundation

/// A comparison as a plain-text table for the terminal.
public enum ConsoleComparison {
    /// The table and the overall result.
    public static func render(_ report: ComparisonReport, failOnInconclusive: Bool = false) -> String {
        let s = report.settings
        var out = "Comparing \(report.kind): base \(report.baseLabel) → new \(report.newLabel)\n"
        out += "confidence \(ValueFormat.percent(s.confidence)) (whole comparison), min effect \(ValueFormat.percent(s.minEffect)), "
        out += "min failure-rate change \(String(format: "%.2f", s.minFailureDelta * 100)) pp\n\n"
        let header = ["name", "metric", "base", "new", "change", "verdict", "estimate [CI]"]
        let lines = report.rows.map { r in
            [r.name, r.metric, ValueFormat.value(r.base, r.unit), ValueFormat.value(r.new, r.unit),
             ValueFormat.delta(r), r.gated ? r.verdict.rawValue : "\(r.verdict.rawValue) (not gated)", ValueFormat.interval(r)]
        }
        var widths = header.map(\.count)
        for l in lines { for (i, c) in l.enumerated() where i < 6 { widths[i] = max(widths[i], c.count) } }
        for l in [header] + lines {
            out += l.enumerated().map { i, c in i < 6 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c }
                .joined(separator: "  ") + "\n"
        }
        for n in report.notes { out += "note: \(n)\n" }
        let failed = report.fails(failOnInconclusive: failOnInconclusive)
        out += "\n" + (failed
            ? (report.regressions.isEmpty ? "INCONCLUSIVE (failing: --fail-on-inconclusive)" : "REGRESSION: \(report.regressions.map { "\($0.name) \($0.metric)" }.joined(separator: ", "))")
            : "no regression") + "\n"
        return out
    }
}
