import FiredrillSupport

/// The baseline overlay of the HTML report: the baseline run's history drawn in lighter colours on
/// the same time axis (seconds since each run's start), so a slower or thinner run shows at a glance.
extension HTMLReport {
    static func baselineSeries(
        _ baseline: RunRecord?, _ specs: [(name: String, color: String, value: (HistoryPoint) -> Double)]
    ) -> [SVGChart.Series] {
        guard let history = baseline?.summary.history, !history.isEmpty else { return [] }
        let t0 = history[0].elapsed - history[0].span
        return specs.map { spec in
            SVGChart.Series(name: spec.name, color: spec.color, points: history.compactMap { p in
                // Old files may hold shorter percentile rows; skip what cannot be read.
                p.percentiles.count > 5 ? (p.elapsed - t0, spec.value(p)) : nil
            })
        }
    }

    static func baselineNote(_ baseline: RunRecord?) -> String {
        guard let b = baseline else { return "" }
        let t = b.summary.stats.total
        return "<p class=\"meta\">Baseline (lighter lines): \(MarkupText.escape(b.host)) · \(MarkupText.escape(b.load)) · "
            + "\(t.requests) requests, p95 \(NumberFormat.ms(t.levelPercentile(95) ?? 0)) ms, \(NumberFormat.rate(t.rps)) req/s</p>"
    }
}
