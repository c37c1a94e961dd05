import FiredrillSupport
import Foundation

/// A k6-style gate such as `p(95) < 500ms`, over all requests or one request name.
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
    /// What is measured.
    public enum Metric: Sendable, Hashable, CustomStringConvertible {
        /// Latency percentile (0–100), in milliseconds.
        case percentile(Double)
        case avg, min, max, median
        /// Failed requests / all requests (0–1).
        case failureRate
        /// Requests per second over the run.
        case rps
        /// Failures per second over the run.
        case fps
        /// Number of requests.
        case count
        /// Number of failed requests.
        case failures

        /// True for latency metrics (values in milliseconds).
        public var isLatency: Bool {
            switch self {
            case .percentile, .avg, .min, .max, .median: return true
            default: return false
            }
        }

        public var description: String {
            switch self {
            case .percentile(let p): return "p(\(TemplateValue.format(p)))"
            case .avg: return "avg"
            case .min: return "min"
            case .max: return "max"
            case .median: return "med"
            case .failureRate: return "rate(failed)"
            case .rps: return "rps"
            case .fps: return "fps"
            case .count: return "count"
            case .failures: return "failures"
            }
        }
    }

    /// A comparison operator.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case greater = ">"

        func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .less: return lhs < rhs
            case .lessOrEqual: return lhs <= rhs
            case .greater: return lhs > rhs
            case .greaterOrEqual: return lhs >= rhs
            case .equal: return lhs == rhs
            case .notEqual: return lhs != rhs
            }
        }
    }

    /// The metric.
    public var metric: Metric
    /// The operator.
    public var comparison: Comparison
    /// The bound (milliseconds for latency metrics, a fraction for `rate(failed)`); 0 when `baseline` sets it.
    public var bound: Double
    /// Set when the bound is relative to a baseline run (`p(95) < baseline * 1.10`).
    public var baseline: BaselineBound?
    /// Request name the gate applies to; nil for all requests.
    public var name: String?
    /// Stop the run as soon as the gate fails (checked every second after `delay`).
    public var abortOnFail: Bool
    /// Seconds after the start before `abortOnFail` is checked.
    public var delay: Double
    /// The expression as written.
    public var expression: String

    /// Parses an expression such as `p(95) < 500ms`, `avg<200ms`, `rate(failed) < 1%`, `rps > 100`.
    public init(
        _ expression: String, name: String? = nil, abortOnFail: Bool = false, delay: Double = 0
    ) throws(ThresholdError) {
        self.expression = expression.trimmingASCIIWhitespace()
        self.name = name
        self.abortOnFail = abortOnFail
        self.delay = delay
        let text = self.expression
        guard let (opRange, op) = Self.findOperator(text) else {
            throw ThresholdError(expression: text, message: "no comparison operator (<, <=, >, >=, ==, !=)")
        }
        let lhs = text[..<opRange.lowerBound].trimmingASCIIWhitespace().lowercased()
        let rhs = text[opRange.upperBound...].trimmingASCIIWhitespace()
        metric = try Self.parseMetric(lhs, in: text)
        comparison = op
        let metric = metric
        baseline = try BaselineBound.parse(
            rhs, offset: { (s) throws(ThresholdError) in try Self.parseBound(s, metric: metric, in: text) }, in: text)
        bound = try baseline == nil ? Self.parseBound(rhs, metric: metric, in: text) : 0
    }

    /// Parses `NAME: EXPR` (name optional, split at the last colon) as given to `--threshold`.
    public static func parseFlag(_ text: String) throws(ThresholdError) -> Threshold {
        if let colon = text.lastIndex(of: ":") {
            let name = text[..<colon].trimmingASCIIWhitespace()
            let expr = String(text[text.index(after: colon)...])
            return try Threshold(expr, name: name.isEmpty ? nil : name)
        }
        return try Threshold(text)
    }

    public var description: String {
        name.map { "\($0): \(expression)" } ?? expression
    }

    private static func findOperator(_ text: String) -> (Range<String.Index>, Comparison)? {
        for op in Comparison.allCases {  // two-character operators first
            if let r = text.range(of: op.rawValue) { return (r, op) }
        }
        return nil
    }

    private static func parseMetric(_ s: String, in text: String) throws(ThresholdError) -> Metric {
        let compact = s.replacingOccurrences(of: " ", with: "")
        switch compact {
        case "avg", "mean": return .avg
        case "min": return .min
        case "max": return .max
        case "med", "median": return .median
        case "rate(failed)", "rate", "failure_rate", "fail_rate", "error_rate": return .failureRate
        case "rps", "requests/s": return .rps
        case "fps", "failures/s": return .fps
        case "count", "requests": return .count
        case "failures", "fails": return .failures
        default: break
        }
        var inner: Substring?
        if compact.hasPrefix("p("), compact.hasSuffix(")") {
            inner = compact.dropFirst(2).dropLast()
        } else if compact.hasPrefix("p") {
            inner = compact.dropFirst()
        }
        if let inner, let p = Double(inner), p >= 0, p <= 100 { return .percentile(p) }
        throw ThresholdError(
            expression: text,
            message: "unknown metric '\(s)' (use p(N), avg, min, max, med, rate(failed), rps, fps, count, failures)")
    }

    /// The bound `s` in the metric's unit: latency in milliseconds (a bare number is milliseconds, k6's
    /// meaning; with a unit, ``DurationText``'s grammar: `500ms`, `1.5s`, `250us`, `1m30s`), a failure
    /// rate as a fraction (`0.01` or `1%`), anything else as a plain number.
    static func parseBound(_ s: String, metric: Metric, in text: String) throws(ThresholdError) -> Double {
        let lower = s.trimmingASCIIWhitespace().lowercased()
        if metric.isLatency {
            if let ms = Double(lower), ms.isFinite { return ms }
            guard let duration = DurationText.duration(lower.filter { $0 != " " }) else {
                throw ThresholdError(
                    expression: text, message: "'\(s)' is not a duration (e.g. 500ms, 1.5s, 250us; a bare number is milliseconds)")
            }
            // Whole nanoseconds, so `100us` is exactly 0.1 ms.
            return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        let digits = lower.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" }
        let unit = lower.dropFirst(digits.count).trimmingASCIIWhitespace()
        guard let value = Double(digits) else {
            throw ThresholdError(expression: text, message: "'\(s)' is not a number")
        }
        switch (unit, metric) {
        case ("", _): return value
        case ("%", .failureRate): return value / 100
        default: throw ThresholdError(expression: text, message: "unit '\(unit)' does not fit \(metric)")
        }
    }
}
