import Foundation

/// How comparison values, changes and intervals print in the console and in Markdown.
enum ValueFormat {
    static func value(_ v: Double?, _ unit: MetricUnit) -> String {
        guard let v else { return "–" }
        switch unit {
        case .milliseconds: return "\(number(v)) ms"
        case .perSecond: return "\(number(v))/s"
        case .fraction: return String(format: "%.2f %%", v * 100)
        case .seconds: return "\(number(v)) s"
        case .flag: return v != 0 ? "passed" : "failed"
        }
    }

    /// The change of a row: `+12.3 %` (relative) or `+0.40 pp` (failure rate), with an arrow.
    static func delta(_ row: MetricComparison) -> String {
        guard row.unit != .flag, let d = row.delta else { return "" }
        return arrow(d) + " " + change(d, row)
    }

    /// The tested shift with its interval, e.g. `+11.8 % [+9.0, +14.7]`.
    static func interval(_ row: MetricComparison) -> String {
        guard let s = row.shift else { return row.note }
        let text = "\(change(s.estimate, row)) [\(change(s.lower, row, unit: false)), \(change(s.upper, row, unit: false))]"
        return row.note.isEmpty ? text : "\(text); \(row.note)"
    }

    static func arrow(_ d: Double) -> String {
        abs(d) < 0.0005 ? "→" : (d > 0 ? "↑" : "↓")
    }

    static func change(_ d: Double, _ row: MetricComparison, unit: Bool = true) -> String {
        guard d.isFinite else { return d > 0 ? "+∞" : "−∞" }
        if row.relative { return String(format: "%+.1f", d * 100) + (unit ? " %" : "") }
        if row.unit == .fraction { return String(format: "%+.2f", d * 100) + (unit ? " pp" : "") }
        return String(format: "%+.2f", d)
    }

    static func number(_ v: Double) -> String {
        if !v.isFinite { return "\(v)" }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        if abs(v) >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.2f", v)
    }

    static func percent(_ v: Double) -> String {
        let p = v * 100
        return p == p.rounded() ? String(format: "%.0f %%", p) : String(format: "%.1f %%", p)
    }
}
