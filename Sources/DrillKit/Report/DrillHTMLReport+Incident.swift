import FiredrillSupport
import Foundation

/// The report's sections for generated and diagnosed runbooks: the fidelity score and the diagnosis checks.
extension DrillHTMLReport {
    static func fidelityTable(_ f: FidelityScore) -> String {
        var out = "<h2>Fidelity to the incident: \(String(format: "%.2f", f.score))</h2>\n"
        out += "<table><tr><th class=\"l\">curve</th><th>distance</th><th>similarity</th><th>steps compared</th></tr>"
        for c in f.curves {
            out += "<tr><td class=\"l\">\(MarkupText.escape(c.curve))</td><td>\(String(format: "%.3f", c.distance))</td>"
                + "<td>\(String(format: "%.2f", c.similarity))</td><td>\(c.points)</td></tr>"
        }
        out += "<tr><td class=\"l\">alert order</td><td></td><td>\(String(format: "%.2f", f.orderAgreement))</td><td></td></tr></table>\n"
        out += "<p class=\"meta\">incident: \(MarkupText.escape(f.incidentAlerts.joined(separator: " → "))) · drill: "
            + "\(MarkupText.escape(f.drillAlerts.joined(separator: " → "))). Score = ½ · mean curve similarity + ½ · alert-order agreement (README).</p>\n"
        return out
    }

    static func diagnosisTable(_ checks: [DrillJournal.DiagnosisCheck]) -> String {
        guard !checks.isEmpty else { return "" }
        var out = "<h2>Diagnosis checks</h2>\n<table><tr><th class=\"l\">line</th><th class=\"l\">block</th><th class=\"l\">expected</th>"
            + "<th class=\"l\">outcome</th><th class=\"l\">found</th></tr>"
        for c in checks {
            out += "<tr><td class=\"l\">\(c.line)</td><td class=\"l\"><code>\(MarkupText.escape(c.command))</code></td><td class=\"l\">\(MarkupText.escape(c.expectation))</td>"
                + "<td class=\"l\">\(c.outcome.rawValue)</td><td class=\"l\">\(MarkupText.escape(c.detail))</td></tr>"
        }
        return out + "</table>\n"
    }
}
