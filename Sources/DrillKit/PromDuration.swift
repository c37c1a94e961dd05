import Foundation

/// A Prometheus-style duration (`90s`, `1m30s`, `1h`, `500ms`), kept in milliseconds.
///
/// Units are `ms`, `s`, `m`, `h`, `d` (24 h), `w` (7 d) and `y` (365 d), written largest first,
/// as Prometheus renders them.
public struct PromDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds.
    public let milliseconds: Int64

    /// A duration of `milliseconds` (negative values are clamped to 0).
    public init(milliseconds: Int64) { self.milliseconds = max(0, milliseconds) }

    /// Parses `text` (`5m`, `1h30m`, `250ms`); nil when it is not a Prometheus duration.
    public init?(_ text: String) {
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCII).prefix(while: \.isNumber)
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit: Int64
            if rest.hasPrefix("ms") { unit = 1; rest = rest.dropFirst(2) } else {
                guard let c = rest.first, let u = Self.units[c] else { return nil }
                unit = u; rest = rest.dropFirst()
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += product
        }
        milliseconds = total
    }

    private static let units: [Character: Int64] = [
        "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000, "y": 31_536_000_000,
    ]

    /// This duration as a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// This duration multiplied by `factor`, rounded to whole seconds and at least one second.
    public func scaled(by factor: Double) -> PromDuration {
        let seconds = max(1, (Double(milliseconds) * factor / 1000).rounded())
        return PromDuration(milliseconds: Int64(seconds) * 1000)
    }

    /// Prometheus' rendering: `10s`, `1m30s`, `2h`, `0s`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (name, size) in [("y", Int64(31_536_000_000)), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000),
                             ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            text += "\(rest / size)\(name)"
            rest %= size
        }
        return text
    }

    /// Orders by length.
    public static func < (lhs: PromDuration, rhs: PromDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
