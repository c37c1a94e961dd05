/// One value of a PromQL instant query: a vector element (with labels) or a scalar (no labels).
public struct Sample: Sendable, Equatable {
    /// The series' labels, `__name__` included when Prometheus returns it.
    public var labels: [String: String]
    /// Evaluation time, seconds since the epoch.
    public var timestamp: Double
    /// The value (`NaN` and `±Inf` included).
    public var value: Double

}
