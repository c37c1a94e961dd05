import Foundation

/// Time-compresses Prometheus alerting rules for drills.
///
/// Every `for:` (and `keep_firing_for:`), every range selector (`[5m]`), subquery (`[1m:30s]`,
/// `[1m:]`) and `offset` is multiplied by the factor, rounded to whole seconds (at least `1s`) and
/// rendered in Prometheus' format. Everything else is left byte for byte, so comments and
/// annotations survive. With factor 1/30, `for: 5m` becomes `for: 10s` and `[1m]` becomes `[2s]`.
///
/// `minimumRange` floors range windows (not `for:`, subquery steps or offsets): `rate()` needs two
/// samples in its window, so a drill scraping every second passes 4 s (four scrapes).
public enum RuleScaler {
    private static let duration = #"(?:\d+(?:ms|[smhdwy]))+"#

    /// Returns `alertsYAML` with its durations scaled by `factor` (0 < factor).
    public static func scale(alertsYAML: String, factor: Double, minimumRange: PromDuration? = nil) throws -> String {
        try scale(text: alertsYAML, factor: factor, minimumRange: minimumRange, forLines: true)
    }

    /// Returns a PromQL expression with its range windows, subqueries and offsets scaled by `factor`.
    public static func scale(query: String, factor: Double, minimumRange: PromDuration? = nil) throws -> String {
        try scale(text: query, factor: factor, minimumRange: minimumRange, forLines: false)
    }

    private static func scale(text input: String, factor: Double, minimumRange: PromDuration?, forLines: Bool) throws -> String {
        guard factor > 0, factor.isFinite else {
            throw ControlError(message: "time scale must be a positive number, got \(factor)")
        }
        func scaled(_ text: Substring) -> String {
            guard let d = PromDuration(String(text)) else { return String(text) }
            return d.scaled(by: factor).description
        }
        func window(_ text: Substring) -> String {
            guard let d = PromDuration(String(text)) else { return String(text) }
            let s = d.scaled(by: factor)
            guard let minimumRange, s < minimumRange else { return s.description }
            return minimumRange.description
        }
        var text = input
        guard forLines else { return try ranges(text, scaled: scaled, window: window) }
        // `for: 5m` (also `- for: 5m` and `keep_firing_for: 5m`), one per line.
        let forLine = try Regex(#"^([ \t]*(?:-[ \t]+)?(?:keep_firing_)?for:[ \t]*["']?)("# + duration + #")(["']?[ \t]*(?:#.*)?)$"#)
            .anchorsMatchLineEndings()
        text = text.replacing(forLine) { (match) -> String in
            "\(match.output[1].substring ?? "")\(scaled(match.output[2].substring ?? ""))\(match.output[3].substring ?? "")"
        }
        return try ranges(text, scaled: scaled, window: window)
    }

    private static func ranges(_ input: String, scaled: (Substring) -> String, window: (Substring) -> String) throws -> String {
        var text = input
        // Range selectors and subqueries.
        let range = try Regex(#"\[("# + duration + #")(?::("# + duration + #")?)?\]"#)
        text = text.replacing(range) { (match) -> String in
            let range = window(match.output[1].substring ?? "")
            let hasColon = match.output[0].substring?.contains(":") ?? false
            guard hasColon else { return "[\(range)]" }
            return "[\(range):\(match.output[2].substring.map(scaled) ?? "")]"
        }
        // offset 5m / offset -5m
        let offset = try Regex(#"\boffset(\s+)(-?)("# + duration + #")"#)
        text = text.replacing(offset) { (match) -> String in
            "offset\(match.output[1].substring ?? "")\(match.output[2].substring ?? "")\(scaled(match.output[3].substring ?? ""))"
        }
        return text
    }
}
