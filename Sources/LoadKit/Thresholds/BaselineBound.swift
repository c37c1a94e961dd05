import FiredrillSupport

/// A threshold bound relative to a baseline run: `baseline * 1.10`, `baseline + 0.005`,
/// `baseline * 0.95 - 2ms`. The bound is `baseline value × factor + offset`, the baseline value being
/// the same metric of the same request name in the `--baseline` summary.
public struct BaselineBound: Sendable, Hashable, CustomStringConvertible {
    /// Multiplies the baseline's value.
    public var factor: Double
    /// Added after the factor (milliseconds for latency metrics, a fraction for `rate(failed)`).
    public var offset: Double

    /// The bound for a baseline value.
    public func resolve(_ baselineValue: Double) -> Double { baselineValue * factor + offset }

    public var description: String {
        var s = "baseline"
        if factor != 1 { s += " * \(TemplateValue.format(factor))" }
        if offset != 0 { s += offset > 0 ? " + \(TemplateValue.format(offset))" : " - \(TemplateValue.format(-offset))" }
        return s
    }

    /// Parses the right-hand side of a threshold when it starts with `baseline`; nil when it does not.
    /// `offset` parses a number with the metric's unit (`2ms`, `0.5%`).
    static func parse(
        _ rhs: String, offset parseOffset: (String) throws(ThresholdError) -> Double, in text: String
    ) throws(ThresholdError) -> BaselineBound? {
        let lower = rhs.lowercased()
        guard lower.hasPrefix("baseline") else { return nil }
        var rest = lower.dropFirst("baseline".count).trimmingASCIIWhitespace()
        var bound = BaselineBound(factor: 1, offset: 0)
        if rest.hasPrefix("*") {
            rest = rest.dropFirst().trimmingASCIIWhitespace()
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let f = Double(digits), f > 0 else {
                throw ThresholdError(expression: text, message: "'baseline *' needs a positive number, e.g. baseline * 1.10")
            }
            bound.factor = f
            rest = rest.dropFirst(digits.count).trimmingASCIIWhitespace()
        }
        if let sign = rest.first, sign == "+" || sign == "-" {
            let value = try parseOffset(rest.dropFirst().trimmingASCIIWhitespace())
            bound.offset = sign == "+" ? value : -value
            rest = ""
        }
        guard rest.isEmpty else {
            throw ThresholdError(
                expression: text, message: "unexpected '\(rest)' after baseline (use baseline * F, baseline + N or baseline * F + N)")
        }
        return bound
    }
}
