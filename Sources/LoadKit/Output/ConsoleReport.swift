/// Text views of a run: the live view refreshed during the run and the final tables.
public enum ConsoleReport {
    /// The live view: a table for terminals, one line per request name otherwise.
    public static func live(_ s: StatsSnapshot, tty: Bool) -> String {
        tty ? liveTable(s) : liveLines(s)
    }

    static func headline(_ s: StatsSnapshot) -> String {
        var line = "\(NumberFormat.duration(s.elapsed)) \(s.phase.rawValue) users=\(s.users)"
        line += " reqs=\(s.total.requests) fails=\(s.total.failures) (\(NumberFormat.percent(s.total.failureRate)))"
        line += " rps=\(NumberFormat.rate(s.total.currentRps))"
        if let a = s.arrival {
            line += " iterations offered=\(a.scheduled) started=\(a.started) dropped=\(a.dropped)"
        }
        if s.health.saturated { line += " [generator saturated: see warnings]" }
        return line
    }

    static func liveLines(_ s: StatsSnapshot) -> String {
        var out = "[\(headline(s))]"
        let rows = s.entries + [s.total]
        for e in rows {
            let p = e.currentPercentiles
            out += "\n  \(e.method.isEmpty ? "" : e.method + " ")\(e.name): reqs=\(e.requests) fails=\(e.failures)"
            out += " rps=\(NumberFormat.rate(e.currentRps)) p50=\(NumberFormat.ms(p[0]))ms"
            out += " p95=\(NumberFormat.ms(p[5]))ms p99=\(NumberFormat.ms(p[7]))ms"
        }
        return out
    }

    static func liveTable(_ s: StatsSnapshot) -> String {
        var out = "firedrill load — \(headline(s))\n\n"
        out += NumberFormat.pad("Type", 8) + NumberFormat.pad("Name", 40) + NumberFormat.pad("# reqs", 9, right: true)
        out += NumberFormat.pad("# fails", 16, right: true) + NumberFormat.pad("req/s", 10, right: true)
        out += NumberFormat.pad("fail/s", 9, right: true) + NumberFormat.pad("p50", 9, right: true)
        out += NumberFormat.pad("p95", 9, right: true) + NumberFormat.pad("p99", 9, right: true) + "\n"
        for e in s.entries + [s.total] {
            if e.name == "Aggregated" && e.method.isEmpty { out += String(repeating: "-", count: 119) + "\n" }
            let p = e.currentPercentiles
            out += NumberFormat.pad(e.method, 8) + NumberFormat.pad(e.name, 40)
            out += NumberFormat.pad(String(e.requests), 9, right: true)
            out += NumberFormat.pad("\(e.failures)(\(NumberFormat.percent(e.failureRate)))", 16, right: true)
            out += NumberFormat.pad(NumberFormat.rate(e.currentRps), 10, right: true)
            out += NumberFormat.pad(NumberFormat.rate(e.currentFps), 9, right: true)
            out += NumberFormat.pad(NumberFormat.ms(p[0]), 9, right: true)
            out += NumberFormat.pad(NumberFormat.ms(p[5]), 9, right: true)
            out += NumberFormat.pad(NumberFormat.ms(p[7]), 9, right: true) + "\n"
        }
        out += "(latency percentiles in ms over the last 10 s)\n"
        if !s.failures.isEmpty {
            out += "\nTop failures\n"
            for f in s.failures.prefix(5) {
                out += "  \(f.occurrences)× \(f.method) \(f.name): \(f.error)\n"
            }
        }
        for w in s.health.warnings { out += "WARNING: \(w)\n" }
        return out
    }

    /// The final report: request statistics, percentiles, failures, thresholds, generator health.
    public static func final(_ summary: RunSummary) -> String {
        let s = summary.stats
        var out = ""
        let line = String(repeating: "-", count: 130) + "\n"
        out += NumberFormat.pad("Type", 8) + NumberFormat.pad("Name", 40) + NumberFormat.pad("# reqs", 9, right: true)
        out += NumberFormat.pad("# fails", 17, right: true) + " |" + NumberFormat.pad("Avg", 8, right: true)
        out += NumberFormat.pad("Min", 8, right: true) + NumberFormat.pad("Max", 8, right: true)
        out += NumberFormat.pad("Med", 8, right: true) + " |" + NumberFormat.pad("req/s", 10, right: true)
        out += NumberFormat.pad("failures/s", 12, right: true) + "\n" + line
        func statsRow(_ e: EntryStats) -> String {
            var r = NumberFormat.pad(e.method, 8) + NumberFormat.pad(e.name, 40)
            r += NumberFormat.pad(String(e.requests), 9, right: true)
            r += NumberFormat.pad("\(e.failures)(\(NumberFormat.percent(e.failureRate)))", 17, right: true) + " |"
            r += NumberFormat.pad(NumberFormat.ms(e.avgMs), 8, right: true)
            r += NumberFormat.pad(NumberFormat.ms(e.minMs), 8, right: true)
            r += NumberFormat.pad(NumberFormat.ms(e.maxMs), 8, right: true)
            r += NumberFormat.pad(NumberFormat.ms(e.medianMs), 8, right: true) + " |"
            r += NumberFormat.pad(NumberFormat.rate(e.rps), 10, right: true)
            r += NumberFormat.pad(NumberFormat.rate(e.fps), 12, right: true) + "\n"
            return r
        }
        for e in s.entries { out += statsRow(e) }
        out += line + statsRow(s.total) + "\n"
        out += "Response time percentiles (ms, HdrHistogram, 3 significant digits)\n"
        var header = NumberFormat.pad("Type", 8) + NumberFormat.pad("Name", 40)
        for l in EntryStats.levels { header += NumberFormat.pad(TemplateValue.format(l) + "%", 8, right: true) }
        out += header + NumberFormat.pad("# reqs", 9, right: true) + "\n" + line
        func pctRow(_ e: EntryStats) -> String {
            var r = NumberFormat.pad(e.method, 8) + NumberFormat.pad(e.name, 40)
            for v in e.percentiles { r += NumberFormat.pad(NumberFormat.ms(v), 8, right: true) }
            return r + NumberFormat.pad(String(e.requests), 9, right: true) + "\n"
        }
        for e in s.entries { out += pctRow(e) }
        out += line + pctRow(s.total)
        out += OmissionText.console(summary.coordinatedOmission)
        if !s.failures.isEmpty {
            out += "\nError report\n" + NumberFormat.pad("# occurrences", 16) + "Error\n" + line
            for f in s.failures {
                out += NumberFormat.pad(String(f.occurrences), 16) + "\(f.method) \(f.name): \(f.error)\n"
            }
        }
        if !s.exceptions.isEmpty {
            out += "\nExceptions\n"
            for e in s.exceptions { out += NumberFormat.pad(String(e.count), 16) + e.message + "\n" }
        }
        if let a = s.arrival {
            out += "\nOpen model: offered \(a.scheduled) iterations (\(NumberFormat.rate(a.offeredRate))/s), "
            out += "started \(a.started) (\(NumberFormat.rate(a.achievedRate))/s), dropped \(a.dropped)\n"
        }
        for r in summary.ramps {
            out += "\nReached \(r.users) users at \(String(format: "%.2f", r.reachedAt)) s"
            out += " (ramp started at \(String(format: "%.2f", r.startedAt)) s)"
        }
        if !summary.ramps.isEmpty { out += "\n" }
        if summary.abandonedRequests > 0 {
            out += "\n\(summary.abandonedRequests) request(s) were still waiting at the stop timeout: counted as StopTimeout failures\n"
        }
        if !summary.thresholds.isEmpty {
            out += "\nThresholds\n"
            for t in summary.thresholds {
                out += "  \(t.passed ? "✓" : "✗") \(t.threshold)  (\(t.message))\n"
            }
        }
        let h = s.health
        out += "\nGenerator: \(h.threads) event-loop thread(s), \(String(format3: h.cpuSeconds)) CPU-s"
        if h.cpuSeconds >= 1 {
            out += ", \(Int(Double(s.total.requests) / h.cpuSeconds)) requests per CPU-second"
        }
        out += ", worst loop lag \(NumberFormat.ms(h.maxLoopLagMs)) ms\n"
        for w in h.warnings { out += "WARNING: \(w)\n" }
        out += "Run ended: \(summary.endReason) after \(NumberFormat.duration(summary.duration))\n"
        return out
    }
}
