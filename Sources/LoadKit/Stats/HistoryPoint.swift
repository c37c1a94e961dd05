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

/// Keeps at most `capacity` history points: when full, neighbours are merged and the resolution halves,
/// so memory stays bounded however long the run.
struct HistoryBuffer: Sendable {
    let capacity: Int
    private(set) var points: [HistoryPoint] = []
    private var pending: HistoryPoint?
    private var pendingCount = 0
    private(set) var resolution = 1

    init(capacity: Int) {
        self.capacity = max(capacity, 4) & ~1
    }

    mutating func append(_ point: HistoryPoint) {
        let combined = pending.map { $0.merged(with: point) } ?? point
        pendingCount += 1
        if pendingCount < resolution {
            pending = combined
            return
        }
        pending = nil
        pendingCount = 0
        points.append(combined)
        if points.count >= capacity {
            points = stride(from: 0, to: points.count - 1, by: 2).map { points[$0].merged(with: points[$0 + 1]) }
            resolution *= 2
        }
    }

    /// Points, including a partly filled last one.
    var all: [HistoryPoint] {
        pending.map { points + [$0] } ?? points
    }
}
