import FiredrillSupport
import Foundation

/// A self-contained HTML report: charts (inline SVG) and tables, no scripts or external assets.
public enum HTMLReport {
    /// The HTML document; with `baseline`, its throughput and latency are drawn over this run's.
    public static func html(plan: LoadPlan, summary: RunSummary, baseline: RunRecord? = nil) -> String {
        let s = summary.stats
        let h = summary.history
        let t0 = h.first.map { $0.elapsed - $0.span } ?? 0
        func series(_ name: String, _ color: String, _ value: (HistoryPoint) -> Double) -> SVGChart.Series {
            SVGChart.Series(name: name, color: color, points: h.map { ($0.elapsed - t0, value($0)) })
        }
        let rpsChart = SVGChart.lines([
            series("requests/s", "#4c78a8") { $0.rps }, series("failures/s", "#e45756") { $0.fps },
        ] + baselineSeries(baseline, [("baseline requests/s", "#9ecae9", { $0.rps })]), yLabel: "per second")
        let usersChart = SVGChart.lines([series("users", "#54a24b") { Double($0.users) }], yLabel: "users")
        let latencyChart = SVGChart.lines([
            series("p50", "#4c78a8") { $0.percentiles[0] }, series("p95", "#f58518") { $0.percentiles[5] },
            series("p99", "#e45756") { $0.percentiles[7] },
        ] + baselineSeries(baseline, [("baseline p50", "#9ecae9", { $0.percentiles[0] }),
                                      ("baseline p95", "#ffbf79", { $0.percentiles[5] })]), yLabel: "ms (last 10 s)")
        let failuresChart = SVGChart.lines([
            series("failure %", "#e45756") { $0.rps > 0 ? $0.fps / $0.rps * 100 : 0 },
        ], yLabel: "% failed")
        let buckets = s.total.latencyBuckets()
        let histogram = SVGChart.bars(buckets.map { (NumberFormat.ms($0.upperMs), Double($0.count)) }, yLabel: "requests")

        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>firedrill load report — \(esc(plan.host))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
            table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}
            th{background:#f2f2f2}td.l,th.l{text-align:left}.pass{color:#2e7d32;font-weight:bold}.fail{color:#c62828;font-weight:bold}
            .meta{color:#555;font-size:13px}.warn{color:#b26a00}
            </style></head><body>
            <h1>firedrill load report</h1>
            <p class="meta">Target <b>\(esc(plan.host))</b> · \(esc(plan.load.summary)) · started \(esc(iso(summary.startTime))) ·
            ran \(esc(NumberFormat.duration(summary.duration))) · ended: \(esc(summary.endReason)) ·
            result: \(summary.passed ? "<span class=\"pass\">PASSED</span>" : "<span class=\"fail\">FAILED</span>")</p>
            \(baselineNote(baseline))

            """
        if !summary.thresholds.isEmpty {
            out += "<h2>Thresholds</h2><table><tr><th class=\"l\">threshold</th><th>result</th><th class=\"l\">measured</th></tr>"
            for t in summary.thresholds {
                out += "<tr><td class=\"l\">\(esc(t.threshold))</td><td class=\"\(t.passed ? "pass" : "fail")\">\(t.passed ? "pass" : "FAIL")</td><td class=\"l\">\(esc(t.message))</td></tr>"
            }
            out += "</table>"
        }
        out += "<h2>Requests per second</h2>\(rpsChart)"
        out += "<h2>Users</h2>\(usersChart)"
        out += "<h2>Failures</h2>\(failuresChart)"
        out += "<h2>Latency percentiles over time</h2>\(latencyChart)"
        out += "<h2>Latency distribution</h2>\(histogram)"
        out += "<h2>Request statistics</h2><table><tr><th class=\"l\">Type</th><th class=\"l\">Name</th><th># reqs</th><th># fails</th><th>Avg ms</th><th>Min ms</th><th>Max ms</th><th>Med ms</th><th>Avg size</th><th>req/s</th><th>fail/s</th></tr>"
        for e in s.entries + [s.total] {
            out += "<tr><td class=\"l\">\(esc(e.method))</td><td class=\"l\">\(esc(e.name))</td><td>\(e.requests)</td><td>\(e.failures)</td>"
            out += "<td>\(NumberFormat.ms(e.avgMs))</td><td>\(NumberFormat.ms(e.minMs))</td><td>\(NumberFormat.ms(e.maxMs))</td>"
            out += "<td>\(NumberFormat.ms(e.medianMs))</td><td>\(Int(e.avgContentSize))</td><td>\(NumberFormat.rate(e.rps))</td><td>\(NumberFormat.rate(e.fps))</td></tr>"
        }
        out += "</table><h2>Response time percentiles (ms)</h2><table><tr><th class=\"l\">Type</th><th class=\"l\">Name</th>"
        for l in EntryStats.levels { out += "<th>\(TemplateValue.format(l))%</th>" }
        out += "</tr>"
        for e in s.entries + [s.total] {
            out += "<tr><td class=\"l\">\(esc(e.method))</td><td class=\"l\">\(esc(e.name))</td>"
            for v in e.percentiles { out += "<td>\(NumberFormat.ms(v))</td>" }
            out += "</tr>"
        }
        out += "</table>" + OmissionText.html(summary.coordinatedOmission, escape: esc) + "<h2>Failures</h2>"
        if s.failures.isEmpty {
            out += "<p>No failures.</p>"
        } else {
            out += "<table><tr><th># occurrences</th><th class=\"l\">Method</th><th class=\"l\">Name</th><th class=\"l\">Error</th></tr>"
            for f in s.failures {
                out += "<tr><td>\(f.occurrences)</td><td class=\"l\">\(esc(f.method))</td><td class=\"l\">\(esc(f.name))</td><td class=\"l\">\(esc(f.error))</td></tr>"
            }
            out += "</table>"
        }
        if !s.exceptions.isEmpty {
            out += "<h2>Exceptions</h2><table><tr><th>count</th><th class=\"l\">message</th></tr>"
            for e in s.exceptions { out += "<tr><td>\(e.count)</td><td class=\"l\">\(esc(e.message))</td></tr>" }
            out += "</table>"
        }
        if let a = s.arrival {
            out += "<h2>Open model</h2><p>Offered \(a.scheduled) iterations (\(NumberFormat.rate(a.offeredRate))/s), started \(a.started) (\(NumberFormat.rate(a.achievedRate))/s), dropped \(a.dropped).</p>"
        }
        let g = s.health
        out += "<h2>Generator</h2><p class=\"meta\">\(g.threads) event-loop thread(s), \(String(format3: g.cpuSeconds)) CPU seconds, worst event-loop lag \(NumberFormat.ms(g.maxLoopLagMs)) ms.</p>"
        for w in g.warnings { out += "<p class=\"warn\">⚠ \(esc(w))</p>" }
        out += "</body></html>\n"
        return out
    }

    private static func esc(_ s: String) -> String { MarkupText.escape(s) }

    private static func iso(_ d: Date) -> String { JUnitReport.iso(d) }
}
