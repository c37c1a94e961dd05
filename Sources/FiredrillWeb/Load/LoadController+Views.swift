import Foundation
import LoadKit

/// What the routes read: the latest statistics in Locust's JSON and CSV shapes, the live frame, and
/// the reports LoadKit writes (HTML, JSON, JUnit) of the current or last run.
extension LoadController {
    /// The latest snapshot of the current or last run (nil before the first).
    var snapshot: StatsSnapshot? {
        state.withLock { s in s.summary?.stats ?? s.run?.snapshot }
    }

    /// The latest statistics of the current or last run, or an empty snapshot before the first: what
    /// `--metrics-port` serves in web mode.
    public var liveSnapshot: StatsSnapshot {
        snapshot ?? StatsSnapshot.empty(threads: options.threads)
    }

    /// `GET /stats/requests`.
    func locustStats() -> LocustStats {
        let name = stateName
        let snapshot = self.snapshot
        let users = name == "stopped" ? 0 : (run?.users ?? 0)
        return LocustStats(snapshot, state: name, users: users)
    }

    /// The frame sent to the page, or nil when nothing changed since `seq`.
    func frame(after seq: Int?) -> LiveFrame? {
        let name = stateName
        let (series, summary, plan) = state.withLock { ($0.series, $0.summary, $0.plan) }
        let key = series.seq * 8 + Self.stateCode(name)
        if let seq, seq == key { return nil }
        let snapshot = self.snapshot
        let current = plan ?? basePlan
        let thresholds = summary?.thresholds ?? snapshot.map { s in
            current.thresholds.map { ThresholdResult(evaluating: $0, in: s, baseline: options.baseline) }
        } ?? []
        let users = name == "stopped" ? 0 : (run?.users ?? 0)
        return LiveFrame(
            seq: key, state: name, host: current.host, load: current.load.summary,
            stats: LocustStats(snapshot, state: name, users: users), point: series.points.last,
            thresholds: thresholds, exceptions: snapshot?.exceptions ?? [], health: snapshot?.health,
            arrival: snapshot?.arrival, endReason: summary?.endReason, openModel: current.load.isOpen,
            passed: summary?.passed)
    }

    /// Every chart point of the current or last run (`GET /stats/history`).
    var chartPoints: [ChartPoint] { state.withLock { $0.series.points } }

    /// The four Locust CSV files.
    func statsCSV() -> String {
        snapshot.map(LocustCSVWriter.statsCSV) ?? LocustCSVWriter.row(LocustCSVWriter.statsHeader)
    }

    func failuresCSV() -> String {
        snapshot.map(LocustCSVWriter.failuresCSV) ?? LocustCSVWriter.row(LocustCSVWriter.failuresHeader)
    }

    func exceptionsCSV() -> String {
        snapshot.map(LocustCSVWriter.exceptionsCSV) ?? LocustCSVWriter.row(LocustCSVWriter.exceptionsHeader)
    }

    func historyCSV() -> String {
        LocustCSVWriter.row(LocustCSVWriter.historyHeader) + state.withLock { $0.series.historyRows.joined() }
    }

    /// The summary so far (the final one once the run has ended), nil before the first run.
    func summary() async -> (LoadPlan, RunSummary)? {
        let (run, summary, plan) = state.withLock { ($0.run, $0.summary, $0.plan) }
        guard let run, let plan else { return nil }
        if let summary { return (plan, summary) }
        return (plan, await run.currentSummary())
    }

    /// The HTML report (LoadKit's ``HTMLReport``).
    func htmlReport() async -> String? {
        guard let (plan, summary) = await summary() else { return nil }
        return HTMLReport.html(plan: plan, summary: summary, baseline: options.baseline)
    }

    /// The JSON summary (LoadKit's ``JSONReport``).
    func jsonReport() async -> Data? {
        guard let (plan, summary) = await summary() else { return nil }
        return try? JSONReport(plan: plan, summary: summary).encoded()
    }

    /// JUnit XML (LoadKit's ``JUnitReport``).
    func junitReport() async -> String? {
        await summary().map { JUnitReport.xml($0.1) }
    }

    private static func stateCode(_ name: String) -> Int {
        ["ready", "spawning", "running", "stopping", "stopped"].firstIndex(of: name) ?? 7
    }
}
