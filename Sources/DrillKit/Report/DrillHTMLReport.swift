import FiredrillSupport
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG; nothing loaded from anywhere) telling
/// the story of a drill run: the verdict, the key times, the timeline, the charts, every check.
public enum DrillHTMLReport {
    /// The HTML document.
    public static func render(_ journal: DrillJournal) -> String {
        let facts = JournalFacts(journal)
        var out = head(facts)
        out += header(facts)
        out += keyTimes(facts)
        if let fidelity = journal.fidelity { out += fidelityTable(fidelity) }
        out += "<h2>Timeline</h2>\n" + TimelineStrip.svg(facts) + "\n" + eventTable(facts)
        for chart in DrillCharts.all(facts) {
            out += "<h2>\(esc(chart.title))</h2>\n<figure id=\"\(chart.id)\">\(chart.svg)</figure>\n"
        }
        out += "<h2>Steady state before</h2>\n" + probeTable(journal.steadyStateBefore,
                                                             empty: "No steady-state probes ran before the method.")
        out += "<h2>Method</h2>\n" + stepTable(journal.steps, facts: facts, empty: journal.status == .aborted
            ? "The method did not run: the steady state did not hold before it." : "No method step ran.")
        out += "<h2>Steady state after</h2>\n" + probeTable(journal.steadyStateAfter,
                                                            empty: "No steady-state probes ran after the method.")
        out += "<h2>Rollbacks</h2>\n" + stepTable(journal.rollbacks, facts: facts, empty: "No rollback ran.")
        if !journal.variables.isEmpty {
            out += "<h2>Variables</h2>\n<table><tr><th class=\"l\">name</th><th class=\"l\">value</th></tr>"
            for (name, value) in journal.variables.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td class=\"l\"><code>\(esc(name))</code></td><td class=\"l\"><code>\(esc(value))</code></td></tr>"
            }
            out += "</table>\n"
        }
        out += diagnosisTable(journal.diagnoses)
        out += "<p class=\"meta foot\">Rendered by firedrill from the run's journal.json.</p>\n</body></html>\n"
        return out
    }

    private static func head(_ facts: JournalFacts) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>firedrill drill report — \(esc(facts.journal.title)) — \(facts.verdict.text)</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
        th{background:#f2f2f2}td.l,th.l{text-align:left}.pass{color:#2e7d32;font-weight:bold}.fail{color:#c62828;font-weight:bold}
        .meta{color:#555;font-size:13px}.warn{color:#b26a00}.skip{color:#b26a00;font-weight:bold}
        figure{margin:0}code{font-size:12px}
        .badge{display:inline-block;font-size:30px;font-weight:bold;letter-spacing:2px;color:#fff;padding:6px 20px;border-radius:6px;margin:8px 0}
        .badge.passed{background:#2e7d32}.badge.failed{background:#c62828}.badge.aborted{background:#8b1a1a}.badge.interrupted{background:#616161}
        .tag{display:inline-block;margin-left:10px;padding:2px 8px;border-radius:4px;background:#fdecea;color:#c62828;font-weight:bold;font-size:13px;vertical-align:middle}
        .box{padding:8px 12px;margin:12px 0;border-left:5px solid;border-radius:3px;font-size:14px}
        .box.reason{border-color:#c62828;background:#fdecea}.box.notice{border-color:#b26a00;background:#fff8e1}
        .box ul{margin:4px 0;padding-left:20px}
        .times{display:flex;gap:16px;flex-wrap:wrap}.time{border:1px solid #ddd;border-radius:6px;padding:8px 16px;min-width:170px}
        .time b{display:block;font-size:24px}.time span{color:#555;font-size:12px}
        tr.failed td{background:#fdecea}td.detail.failed{color:#c62828;font-weight:bold}
        .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
        </style></head><body>

        """
    }

    private static func header(_ facts: JournalFacts) -> String {
        let j = facts.journal
        let verdict = facts.verdict
        var out = "<h1>\(esc(j.title))</h1>\n"
        out += "<div><span class=\"badge \(verdict.cssClass)\">\(verdict.text)</span>"
        if j.deviated { out += "<span class=\"tag\">steady state deviated</span>" }
        out += "</div>\n<p class=\"meta\">Runbook <code>\(esc(j.runbook))</code> · status <b>\(esc(j.status.rawValue))</b><br>\n"
        out += "Stack <b>\(esc(j.stack.kind))</b>: service <code>\(esc(j.stack.serviceURL))</code>"
        out += " · Prometheus " + (j.stack.prometheusURL.map { "<code>\(esc($0))</code>" } ?? "<span class=\"warn\">none</span>")
        out += " · Alertmanager " + (j.stack.alertmanagerURL.map { "<code>\(esc($0))</code>" } ?? "<span class=\"warn\">none</span>")
        out += "<br>\nTime scale \(esc(DrillFormat.timeScale(j.timeScale)))<br>\n"
        out += "Started \(DrillFormat.utc(j.startedAt)) · ended \(DrillFormat.utc(j.endedAt))"
        out += " · duration <b>\(DrillFormat.seconds(facts.duration))</b></p>\n"
        if let reason = j.reason, !reason.isEmpty {
            out += "<div class=\"box reason\"><b>Stopped:</b> \(multiline(reason))</div>\n"
        }
        if j.skippedCount > 0 || j.stack.monitoringGap != nil {
            out += "<div class=\"box notice\">"
            if j.skippedCount > 0 {
                let n = j.skippedCount
                out += "<b>⚠ \(n) check\(n == 1 ? "" : "s") skipped</b> — alert checks need Prometheus and Alertmanager;"
                out += " skipped is not passed."
            }
            if let gap = j.stack.monitoringGap {
                out += (j.skippedCount > 0 ? "<br>" : "<b>⚠</b> ") + "Monitoring gap: \(esc(gap))"
            }
            out += "</div>\n"
        }
        let problems = facts.problems.filter { $0.outcome == .failed }
        if !problems.isEmpty {
            out += "<div class=\"box reason\"><b>What failed</b><ul>"
            for p in problems {
                out += "<li>\(esc(p.section)), line \(p.line) — <b>\(esc(p.title))</b>: "
                out += "<span class=\"fail\">\(multiline(p.detail))</span></li>"
            }
            out += "</ul></div>\n"
        }
        return out
    }

    private static func keyTimes(_ facts: JournalFacts) -> String {
        let k = facts.journal.keyTimes
        let scale = facts.journal.timeScale
        let items = [("Time to detect", k.timeToDetect, "incident start → first alert firing"),
                     ("Time to notify", k.timeToNotify, "incident start → notification delivered"),
                     ("Time to recover", k.timeToRecover, "first remedy → 5xx under 1 %")]
        var out = "<h2>Key times</h2>\n<div class=\"times\">"
        for (name, value, meaning) in items {
            out += "<div class=\"time\">\(name)<b>\(DrillFormat.seconds(value))</b><span>\(esc(meaning))"
            if let value, value.isFinite, scale.isFinite, scale > 0, abs(scale - 1) > 1e-9 {
                out += "<br>≈ \(DrillFormat.seconds(value / scale)) at incident speed"
            }
            out += "</span></div>"
        }
        return out + "</div>\n"
    }

    private static func eventTable(_ facts: JournalFacts) -> String {
        let events = facts.journal.timeline.sorted { $0.at < $1.at }
        guard !events.isEmpty else { return "<p>No events.</p>\n" }
        var out = "<table class=\"events\"><tr><th>offset</th><th class=\"l\">event</th><th class=\"l\">label</th></tr>"
        for e in events {
            out += "<tr><td><code>\(DrillFormat.offset(facts.offset(e.at)))</code></td>"
            out += "<td class=\"l\"><span class=\"dot\" style=\"background:\(EventStyle.color(e.kind))\"></span>\(esc(EventStyle.name(e.kind)))</td>"
            out += "<td class=\"l\">\(esc(e.label))</td></tr>"
        }
        return out + "</table>\n"
    }

    /// A table of runbook items numbered from 1 with their runbook line, failed ones marked (`head`: the
    /// other columns' headers, `cells`: an item's other cells); `empty` as a paragraph when there is none.
    private static func lineTable<Item>(_ items: [Item], empty: String, head: String, failed: (Item) -> Bool,
                                        line: (Item) -> Int, cells: (Item) -> String) -> String {
        guard !items.isEmpty else { return "<p>\(esc(empty))</p>\n" }
        var out = "<table><tr><th>#</th><th>line</th>\(head)</tr>"
        for (i, item) in items.enumerated() {
            out += "<tr\(failed(item) ? " class=\"failed\"" : "")><td>\(i + 1)</td><td>\(line(item))</td>\(cells(item))</tr>"
        }
        return out + "</table>\n"
    }

    private static func probeTable(_ probes: [DrillJournal.ProbeResult], empty: String) -> String {
        let head = "<th class=\"l\">probe</th><th class=\"l\">outcome</th><th>value</th><th>duration</th><th class=\"l\">detail</th>"
        return lineTable(probes, empty: empty, head: head, failed: { $0.outcome == .failed }, line: \.line) { p in
            let cells = "<td class=\"l\">\(esc(p.name))</td>\(outcomeCell(p.outcome))<td>\(p.value.map(DrillFormat.number) ?? "—")</td>"
            return cells + "<td>\(DrillFormat.seconds(p.endedAt.timeIntervalSince(p.startedAt)))</td>\(detailCell(p.detail, p.outcome))"
        }
    }

    private static func stepTable(_ steps: [DrillJournal.StepResult], facts: JournalFacts, empty: String) -> String {
        let head = "<th class=\"l\">step</th><th class=\"l\">kind</th><th class=\"l\">outcome</th>"
            + "<th>started</th><th>duration</th><th class=\"l\">detail</th>"
        return lineTable(steps, empty: empty, head: head, failed: { $0.outcome == .failed }, line: \.line) { s in
            var cells = "<td class=\"l\">\(esc(s.title))</td><td class=\"l\"><code>\(esc(s.kind))</code>"
            cells += s.isExpectation ? " <span class=\"meta\">expectation</span>" : ""
            cells += "</td>\(outcomeCell(s.outcome))<td><code>\(DrillFormat.offset(facts.offset(s.startedAt)))</code></td>"
            return cells + "<td>\(DrillFormat.seconds(s.seconds))</td>\(detailCell(s.detail, s.outcome))"
        }
    }

    private static func outcomeCell(_ outcome: DrillJournal.Outcome) -> String {
        switch outcome {
        case .passed: return "<td class=\"l pass\">passed</td>"
        case .failed: return "<td class=\"l fail\">FAILED</td>"
        case .skipped: return "<td class=\"l skip\">skipped</td>"
        }
    }

    private static func detailCell(_ detail: String, _ outcome: DrillJournal.Outcome) -> String {
        "<td class=\"l detail\(outcome == .failed ? " failed" : "")\">\(multiline(detail))</td>"
    }

    /// Escaped text with its line breaks kept.
    private static func multiline(_ s: String) -> String {
        esc(s).replacingOccurrences(of: "\n", with: "<br>")
    }

    private static func esc(_ s: String) -> String { MarkupText.escape(s) }
}
