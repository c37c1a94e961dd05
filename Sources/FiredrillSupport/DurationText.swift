/// The one duration grammar of every Firedrill surface (flags, scenarios, runbooks, the admin API):
/// `500ms`, `30s`, `5m`, `1h30m`, `1.5s`, `250us`/`250µs`, Prometheus' `1d`, `1w`, `1y`, or a bare
/// number of seconds. Units may repeat largest first or in any order (`1m30s`, `90s`).
public enum DurationText {
    /// Seconds in `text`, or nil when it is not a duration (or is negative or not finite).
    public static func seconds(_ text: String) -> Double? {
        let s = text.trimmingASCIIWhitespace().lowercased()
        guard !s.isEmpty else { return nil }
        if let plain = Double(s) { return plain >= 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var rest = Substring(s)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), let factor = factors[String(unit)] else { return nil }
            total += value * factor
        }
        return total.isFinite ? total : nil
    }

    /// Whole milliseconds in `text` (rounded), or nil when it is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        guard let seconds = seconds(text), seconds * 1000 < Double(Int64.max) else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    /// `seconds` as a Swift `Duration`, or nil when `text` is not a duration.
    public static func duration(_ text: String) -> Duration? {
        guard let seconds = seconds(text), seconds < 9e9 else { return nil }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// `seconds` as whole nanoseconds for a timer, clamped to `0...Int64.max` (about 292 years): a
    /// longer (or infinite) duration means "never" rather than a trap; NaN counts as 0.
    public static func timerNanoseconds(_ seconds: Double) -> Int64 {
        let nanos = seconds * 1e9
        guard nanos > 0 else { return 0 }
        return nanos < 9.2e18 ? Int64(nanos) : .max
    }

    /// Seconds per unit.
    private static let factors: [String: Double] = [
        "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600,
        "d": 86_400, "w": 604_800, "y": 31_536_000,
    ]
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs and line breaks.
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
