/// Coordinated omission in the text and HTML reports: the warning and, when corrected, the
/// corrected percentiles beside the raw ones.
enum OmissionText {
    /// The console section (empty when nothing stalled and no correction was asked for).
    static func console(_ r: OmissionReport?) -> String {
        guard let r else { return "" }
        var out = ""
        if let w = r.warning { out += "\nWARNING: \(w)\n" }
        guard let rows = r.corrected else { return out }
        out += "\nResponse time percentiles corrected for coordinated omission (--co-correction; expected interval "
        out += "\(NumberFormat.ms(r.expectedIntervalMs)) ms, \(r.backfilledSamples) samples back-filled)\n"
        var header = NumberFormat.pad("Type", 8) + NumberFormat.pad("Name", 30) + NumberFormat.pad("", 10)
        for l in EntryStats.levels { header += NumberFormat.pad(TemplateValue.format(l) + "%", 8, right: true) }
        out += header + NumberFormat.pad("# samples", 11, right: true) + "\n"
        for e in rows {
            for (label, values, count) in [("raw", e.rawPercentiles, e.requests), ("corrected", e.percentiles, e.correctedCount)] {
                var line = NumberFormat.pad(e.method, 8) + NumberFormat.pad(e.name, 30) + NumberFormat.pad(label, 10)
                for v in values { line += NumberFormat.pad(NumberFormat.ms(v), 8, right: true) }
                out += line + NumberFormat.pad(String(count), 11, right: true) + "\n"
            }
        }
        return out
    }

    /// The HTML section (empty when nothing stalled and no correction was asked for).
    static func html(_ r: OmissionReport?, escape: (String) -> String) -> String {
        guard let r, r.warning != nil || r.corrected != nil else { return "" }
        var out = "<h2>Coordinated omission</h2>"
        if let w = r.warning { out += "<p class=\"warn\">⚠ \(escape(w))</p>" }
        guard let rows = r.corrected else { return out }
        out += "<p class=\"meta\">Corrected with --co-correction: expected interval \(NumberFormat.ms(r.expectedIntervalMs)) ms, "
        out += "\(r.backfilledSamples) samples back-filled.</p>"
        out += "<table><tr><th class=\"l\">Type</th><th class=\"l\">Name</th><th class=\"l\"></th>"
        for l in EntryStats.levels { out += "<th>\(TemplateValue.format(l))%</th>" }
        out += "<th># samples</th></tr>"
        for e in rows {
            for (label, values, count) in [("raw", e.rawPercentiles, e.requests), ("corrected", e.percentiles, e.correctedCount)] {
                out += "<tr><td class=\"l\">\(escape(e.method))</td><td class=\"l\">\(escape(e.name))</td><td class=\"l\">\(label)</td>"
                for v in values { out += "<td>\(NumberFormat.ms(v))</td>" }
                out += "<td>\(count)</td></tr>"
            }
        }
        return out + "</table>"
    }
}
