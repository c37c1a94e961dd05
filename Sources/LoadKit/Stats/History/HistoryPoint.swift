/// One row of the run's history (aggregated over all requests).
public struct HistoryPoint: Sendable, Codable, Hashable {
    /// Unix time at the end of the interval.
    public var time: Double
    /// Seconds since the start.
    public var elapsed: Double
    /// Seconds this point covers (grows when long runs are compacted).
    public var span: Double
    /// Live users (the maximum within the span).
    public var users: Int
    /// Requests per second within the span.
    public var rps: Double
    /// Failures per second within the span.
    public var fps: Double
    /// Latency at ``EntryStats/levels`` over the last 10 s (the worst within the span), ms.
    public var percentiles: [Double]
    /// Requests so far.
    public var totalRequests: Int
    /// Failures so far.
    public var totalFailures: Int

    /// Combines two consecutive points into one.
    func merged(with next: HistoryPoint) -> HistoryPoint {
        let span = self.span + next.span
        var out = next
        out.span = span
        out.users = max(users, next.users)
        out.rps = span > 0 ? (rps * self.span + next.rps * next.span) / span : 0
        out.fps = span > 0 ? (fps * self.span + next.fps * next.span) / span : 0
        out.percentiles = zip(percentiles, next.percentiles).map { max($0, $1) }
        return out
    }
}
