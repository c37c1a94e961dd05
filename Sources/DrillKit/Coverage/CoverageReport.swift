import FiredrillSupport
import Foundation

/// `firedrill coverage`'s outputs: a console table and a self-contained HTML heat map
/// (fault × intensity → SLO breached? paged? which alert?).
public enum CoverageReport {
    /// Whether any fault is silent.
    public static func hasSilent(_ results: [CoverageSearch.Result]) -> Bool { results.contains(where: \.silent) }

    /// The console table.
    public static func table(_ results: [CoverageSearch.Result]) -> String {
        var rows = [["fault", "intensities", "breaches SLO at", "pages at", "alerts", "verdict"]]
        for r in results {
            let alerts = Set(r.probes.values.flatMap(\.paged)).sorted().joined(separator: ", ")
            rows.append([r.fault, r.labels.joined(separator: " "), r.breachesAt.map { r.labels[$0] } ?? "never",
                         r.pagesAt.map { r.labels[$0] } ?? "never", alerts.isEmpty ? "-" : alerts, verdict(r)])
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func verdict(_ r: CoverageSearch.Result) -> String {
        if r.silent { return "SILENT: breaches the SLO at \(r.labels[r.breachesAt!]) and nothing pages" }
        if r.incomplete { return "incomplete (budget)" }
        guard let breach = r.breachesAt else { return "never breaches the SLO" }
        return "covered (pages at \(r.pagesAt.map { r.labels[$0] } ?? r.labels[breach]))"
    }

    /// The heat map page.
    public static func html(_ results: [CoverageSearch.Result], title: String = "Alert coverage") -> String {
        let columns = results.map(\.labels.count).max() ?? 0
        var out = """
            <!doctype html><html><head><meta charset="utf-8"><title>\(MarkupText.escape(title))</title><style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:.5em .7em;text-align:center;font-size:.9em;min-width:7em}
            th.l,td.l{text-align:left}.ok{background:#dff0d8}.warn{background:#d9edf7}.covered{background:#fcf8e3}
            .silent{background:#f2dede;font-weight:bold}.none{background:#f5f5f5;color:#999}small{color:#555}
            </style></head><body><h1>\(MarkupText.escape(title))</h1>
            <p>Each cell is one probe: the fault injected at that intensity under steady load. <span class="ok">within the SLO</span>
            <span class="warn">paged before any breach</span> <span class="covered">breached and paged</span>
            <span class="silent">breached, nothing paged (silent)</span> <span class="none">not probed</span>.
            SLO: failures or 5xx above 1 %, or p95 above 500 ms. <i>link</i> faults are toxics on the fault proxy between
            the clients and the service: the service never sees them, so their SLO is read on the clients' side too.</p>
            <table><tr><th class="l">fault</th>
            """
        for i in 0..<columns { out += "<th>intensity \(i + 1)</th>" }
        out += "<th class=\"l\">verdict</th></tr>\n"
        for r in results {
            let link = CoverageFault.catalog.first { $0.name == r.fault }?.onLink == true ? "<br><small><i>link</i></small>" : ""
            out += "<tr><td class=\"l\"><b>\(MarkupText.escape(r.fault))</b>\(link)</td>"
            for i in 0..<columns {
                guard i < r.labels.count else { out += "<td class=\"none\"></td>"; continue }
                guard let p = r.probes[i] else { out += "<td class=\"none\">\(MarkupText.escape(r.labels[i]))<br><small>not probed</small></td>"; continue }
                let style = p.breached ? (p.paged.isEmpty ? "silent" : "covered") : (p.paged.isEmpty ? "ok" : "warn")
                let measured = String(format: "failures %.2f %%", p.errorRatio * 100) + (p.p95Seconds.map { String(format: ", p95 %.0f ms", $0 * 1000) } ?? "")
                let page = p.paged.isEmpty ? "no page" : "paged: " + MarkupText.escape(p.paged.joined(separator: ", "))
                out += "<td class=\"\(style)\">\(MarkupText.escape(r.labels[i]))<br><small>\(measured)<br>\(page)</small></td>"
            }
            out += "<td class=\"l\">\(MarkupText.escape(verdict(r)))</td></tr>\n"
        }
        return out + "</table></body></html>\n"
    }
}
