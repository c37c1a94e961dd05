import FiredrillSupport
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

    /// Parses `text` in the one duration grammar (`5m`, `1h30m`, `250ms`, `1.5s`, `1d`), rounded
    /// to whole milliseconds; nil when it is not a duration.
    public init?(_ text: String) {
        guard let milliseconds = DurationText.milliseconds(text) else { return nil }
        self.milliseconds = milliseconds
    }

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
