/// One row of a comparison: a metric of one request name in the base and the new run, the change,
/// its interval and the verdict.
public struct MetricComparison: Sendable {
    /// The request name (`Aggregated` for all requests; `drill` for journals).
    public var name: String
    /// The metric, e.g. `p95`, `failure rate`, `time to detect`.
    public var metric: String
    /// How values print.
    public var unit: MetricUnit
    /// Whole-run value in the base (nil when it has none).
    public var base: Double?
    /// Whole-run value in the new run.
    public var new: Double?
    /// Whether the change is relative (`new / base − 1`) or absolute (`new − base`).
    public var relative: Bool
    /// The tested shift, converted to the change's scale (relative or absolute); nil when untested.
    public var shift: ShiftEstimate?
    /// The verdict.
    public var verdict: Verdict
    /// Samples on each side (intervals, or pairs for `ab`; 1 for journals).
    public var samples: (base: Int, new: Int)
    /// Why the verdict is what it is, when that is not obvious (too few intervals, no test possible).
    public var note: String
    /// Whether a `worse` verdict here fails the gate (false for `max`: see ``GateMetric/isGated``).
    public var gated = true

    /// The raw change of the whole-run values: relative or absolute, nil when either is missing.
    public var delta: Double? {
        guard let base, let new else { return nil }
        if relative { return base > 0 ? new / base - 1 : (new > 0 ? .infinity : 0) }
        return new - base
    }
}

/// The outcome of `compare` or `ab`: the rows and what they mean for the exit code.
public struct ComparisonReport: Sendable {
    /// What was compared (`load summaries`, `drill journals`, `A/B rounds`).
    public var kind: String
    /// The base side, e.g. its file name or `A (http://…)`.
    public var baseLabel: String
    /// The new side.
    public var newLabel: String
    /// The settings used.
    public var settings: GateSettings
    /// One per name and metric, `Aggregated` first.
    public var rows: [MetricComparison]
    /// Remarks for the reader (names only in one run, a missing interval log, the method).
    public var notes: [String]

    /// Gated rows judged `worse`.
    public var regressions: [MetricComparison] { rows.filter { $0.gated && $0.verdict == .worse } }
    /// Gated rows judged `inconclusive`.
    public var inconclusive: [MetricComparison] { rows.filter { $0.gated && $0.verdict == .inconclusive } }

    /// Whether the gate fails: any regression, or any inconclusive row when `failOnInconclusive`.
    public func fails(failOnInconclusive: Bool) -> Bool {
        !regressions.isEmpty || (failOnInconclusive && !inconclusive.isEmpty)
    }
}
