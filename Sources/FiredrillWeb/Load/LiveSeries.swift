import Foundation
import LoadKit

/// A run's per-second record for the page: chart points and the `_stats_history.csv` rows (both
/// bounded: the oldest go first), and a sequence number that moves with every snapshot.
struct LiveSeries {
    /// Most points and history rows kept (an hour at one snapshot a second).
    static let capacity = 3600

    private(set) var points: [ChartPoint] = []
    private(set) var historyRows: [String] = []
    private(set) var last: StatsSnapshot?
    private(set) var seq = 0

    mutating func append(_ snapshot: StatsSnapshot) {
        points.append(ChartPoint(snapshot, previous: last))
        if points.count > Self.capacity { points.removeFirst(points.count - Self.capacity) }
        historyRows.append(LocustCSVWriter.historyRow(
            snapshot.total, timestamp: Int(snapshot.timestamp.timeIntervalSince1970), users: snapshot.users))
        if historyRows.count > Self.capacity { historyRows.removeFirst(historyRows.count - Self.capacity) }
        last = snapshot
        seq += 1
    }

    /// After *Reset stats*: the CSV history starts over (the charts keep their past).
    mutating func resetHistory() {
        historyRows.removeAll()
    }
}
