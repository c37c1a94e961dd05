/// Resolving `baseline` bounds: a threshold that needs a baseline fails when there is none, never passes.
extension ThresholdResult {
    /// Why a baseline bound could not be resolved.
    struct BaselineMissing: Error {
        var message: String
    }

    /// The bound and the baseline value it came from, or why there is none.
    static func baselineBound(
        _ relative: BaselineBound, _ threshold: Threshold, _ baseline: RunRecord?
    ) -> Result<(Double, Double), BaselineMissing> {
        guard let baseline else {
            return .failure(BaselineMissing(message: "needs a baseline: give --baseline FILE (a `firedrill load --json` summary)"))
        }
        guard let value = baseline.value(of: threshold.metric, name: threshold.name) else {
            let what = threshold.name.map { "\"\($0)\"" } ?? "all requests"
            return .failure(BaselineMissing(
                message: "the baseline has no \(threshold.metric) for \(what) (percentiles: \(EntryStats.levels.map { TemplateValue.format($0) }.joined(separator: ", ")))"))
        }
        return .success((relative.resolve(value), value))
    }
}
