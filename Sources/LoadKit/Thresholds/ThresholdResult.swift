/// The outcome of one threshold.
public struct ThresholdResult: Sendable, Codable, Hashable {
    /// The threshold as written, with its request name when scoped.
    public var threshold: String
    /// The request name, or nil for all requests.
    public var name: String?
    /// The measured value (milliseconds for latency metrics).
    public var actual: Double?
    /// Whether the gate held.
    public var passed: Bool
    /// Why it failed (e.g. no requests with that name).
    public var message: String

    /// Evaluates `threshold` against a snapshot's cumulative statistics; `baseline` bounds read `baseline`.
    public init(evaluating threshold: Threshold, in snapshot: StatsSnapshot, baseline: RunRecord? = nil) {
        self.threshold = threshold.description
        self.name = threshold.name
        let entry: EntryStats?
        if let name = threshold.name {
            entry = snapshot.combined(named: name)
        } else {
            entry = snapshot.total
        }
        guard let entry else {
            actual = nil
            passed = false
            message = "no requests named \"\(threshold.name ?? "")\""
            return
        }
        guard entry.requests > 0 else {
            // A gate over no samples proves nothing (a rate over 0 requests would read 0): it fails.
            actual = nil
            passed = false
            message = "no samples: 0 requests were measured, so the gate cannot hold"
            return
        }
        let value: Double? = switch threshold.metric {
        case .percentile(let p): entry.requests > 0 ? entry.percentile(p) : nil
        case .avg: entry.requests > 0 ? entry.avgMs : nil
        case .min: entry.requests > 0 ? entry.minMs : nil
        case .max: entry.requests > 0 ? entry.maxMs : nil
        case .median: entry.requests > 0 ? entry.medianMs : nil
        case .failureRate: entry.requests > 0 ? entry.failureRate : 0
        case .rps: entry.rps
        case .fps: entry.fps
        case .count: Double(entry.requests)
        case .failures: Double(entry.failures)
        }
        actual = value
        guard let value else {
            passed = false
            message = "no requests were measured"
            return
        }
        let unit = threshold.metric.isLatency ? "ms" : ""
        message = "\(threshold.metric)=\(Self.format(value))\(unit)"
        var bound = threshold.bound
        if let relative = threshold.baseline {
            switch Self.baselineBound(relative, threshold, baseline) {
            case .failure(let why):
                passed = false
                message += "; \(why.message)"
                return
            case .success(let (b, base)):
                bound = b
                message += " vs bound \(Self.format(b))\(unit) (baseline \(Self.format(base))\(unit))"
            }
        }
        passed = threshold.comparison.holds(value, bound)
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e12 { return String(Int(v)) }
        return String(format3: v)
    }
}
