import Foundation

/// Number formatting shared by the text reports.
enum NumberFormat {
    /// Milliseconds with precision that suits the magnitude: 0.123, 1.23, 12.3, 123.
    static func ms(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v < 1 { return String(format: "%.3f", v) }
        if v < 10 { return String(format: "%.2f", v) }
        if v < 100 { return String(format: "%.1f", v) }
        return String(format: "%.0f", v)
    }

    /// A rate with two decimals.
    static func rate(_ v: Double) -> String { String(format: "%.2f", v) }

    /// A percentage with two decimals.
    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }

    /// Pads or truncates `s` to `width` (left-aligned, or right-aligned when `right`).
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let text = s.count > width ? String(s.prefix(max(0, width - 1))) + "…" : s
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// Seconds as `1h02m03s`, `2m03s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 && seconds != seconds.rounded() { return String(format: "%.1fs", seconds) }
        // Past Int (a replay at `--speed 1e-300`, a log time of 1e300): no trap, the seconds as a number.
        guard seconds < 9e15 else { return String(format: "%.3gs", seconds) }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
