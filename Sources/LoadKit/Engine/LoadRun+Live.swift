import Foundation
import NIOCore

/// What a live UI needs besides snapshots: Locust's "reset stats", and the report of a run still going.
extension LoadRun {
    /// Starts the statistics over (Locust's *Reset stats*): requests, failures, errors, exceptions,
    /// percentiles, history and intervals, the coordinated-omission evidence, the open model's offered,
    /// started and dropped iterations and its schedule-lag histogram, and the worst event-loop lag; rates
    /// then count from the reset. Users keep running; thresholds judge the statistics since the reset.
    /// Requests still being harvested from the loops are discarded. The generator's warnings stay.
    public func resetStats() {
        guard !isFinished else { return }
        control.execute { [self] in
            guard !finalized, !contexts.isEmpty else { return }
            statsGeneration += 1
            harvest { [self] _ in
                guard !finalized else { return }
                let now = NIODeadline.now().uptimeNanoseconds
                let elapsed = Double(now &- startNanos) / 1e9
                let scheduled = arrivalSchedule.map { $0.count(at: min(elapsed, $0.duration)) } ?? 0
                statsReset = (now, scheduled)
                lastTickNanos = now
                aggregator = StatsAggregator(keys: compiled.statKeys, historyCapacity: options.historyCapacity)
                health.resetWorstLag()
                publish(makeSnapshot())
                options.logger.info("statistics reset")
            }
        }
    }

    /// The summary so far: the final one once the run has finished, otherwise one built from the latest
    /// statistics (end reason `running`), so reports can be downloaded while the run goes on.
    public func currentSummary() async -> RunSummary {
        if let done = shared.withLock({ $0.summary }) { return done }
        let built = try? await control.submit { [self] in
            makeSummary(shared.withLock { $0.snapshot } ?? makeSnapshot(), endReason: "running")
        }.get()
        return built ?? shared.withLock { $0.summary } ?? makeSummaryOutside()
    }

    /// The summary of `snapshot` with the history, thresholds and ramps so far (on the control loop).
    func makeSummary(_ snapshot: StatsSnapshot, endReason: String) -> RunSummary {
        RunSummary(
            startTime: startDate, endTime: Date(), duration: snapshot.elapsed, stats: snapshot,
            history: aggregator.history.all,
            thresholds: plan.thresholds.map { ThresholdResult(evaluating: $0, in: snapshot, baseline: options.baseline) },
            endReason: endReason, abandonedRequests: abandoned, ramps: ramps, intervals: aggregator.intervals.all)
    }

    /// A summary of the latest snapshot alone, for when the control loop has already shut down.
    private func makeSummaryOutside() -> RunSummary {
        let snapshot = self.snapshot
        return RunSummary(
            startTime: Date(), endTime: Date(), duration: snapshot.elapsed, stats: snapshot, history: [],
            thresholds: plan.thresholds.map { ThresholdResult(evaluating: $0, in: snapshot, baseline: options.baseline) },
            endReason: "stopped", abandonedRequests: 0, ramps: [])
    }
}
