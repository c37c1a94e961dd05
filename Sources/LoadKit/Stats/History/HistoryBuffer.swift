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
