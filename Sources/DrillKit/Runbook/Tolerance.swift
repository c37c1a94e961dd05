/// The bounds a measured value must stay within (inclusive); a missing bound is open.
public struct Tolerance: Sendable, Equatable {
    /// The smallest acceptable value.
    public var min: Double?
    /// The largest acceptable value.
    public var max: Double?

    /// Creates a tolerance; at least one bound should be given.
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` is within the bounds (NaN never is).
    public func contains(_ value: Double) -> Bool {
        guard !value.isNaN else { return false }
        return (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }
}
