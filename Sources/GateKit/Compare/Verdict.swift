/// What a comparison concludes about one metric.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// A significant change of at least the minimum effect, for the better.
    case better
    /// A significant change of at least the minimum effect, for the worse: a regression.
    case worse
    /// No change worth the name: significant but smaller than the minimum effect, or an interval
    /// that lies within ± the minimum effect.
    case same
    /// The data cannot tell: the interval straddles zero and reaches past the minimum effect, or
    /// there are too few intervals.
    case inconclusive

    /// Decides from a shift and its interval. `margin` is the minimum effect in the shift's units;
    /// `higherIsWorse` says which direction is a regression.
    public static func judge(_ shift: ShiftEstimate?, margin: Double, higherIsWorse: Bool) -> Verdict {
        guard let s = shift else { return .inconclusive }
        if s.isSignificant {
            guard abs(s.estimate) >= margin else { return .same }
            return (s.estimate > 0) == higherIsWorse ? .worse : .better
        }
        return s.lower >= -margin && s.upper <= margin ? .same : .inconclusive
    }
}
