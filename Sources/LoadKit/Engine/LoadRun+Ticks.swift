import Foundation
import NIOCore

/// Every tick: harvest the loops' samples, publish a snapshot, check `abort_on_fail` thresholds.
extension LoadRun {
    func tick() {
        guard !finalized else { return }
        let generation = statsGeneration
        harvest { [self] samples in
            // A reset came between this harvest and its answer: these samples are from before it.
            guard generation == statsGeneration else { return }
            let now = NIODeadline.now().uptimeNanoseconds
            aggregator.absorb(samples, seconds: Double(now &- lastTickNanos) / 1e9)
            lastTickNanos = now
            options.onInterval?(aggregator.lastDelta(time: Date()))
            if plan.load.isOpen { updateArrivalUsers() }
            let snapshot = makeSnapshot()
            aggregator.recordHistory(snapshot)
            publish(snapshot)
            options.onTick?(snapshot)
            checkAborts(snapshot)
        }
    }

    func updateArrivalUsers() {
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.users.count } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess { [self] counts in
            let n = counts.reduce(0, +)
            shared.withLock { $0.users = n }
        }
    }

    func harvest(_ body: @escaping @Sendable ([IntervalSample]) -> Void) {
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.stats.harvest() } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess(body)
    }

    func checkAborts(_ snapshot: StatsSnapshot) {
        guard phase != .stopping && phase != .stopped else { return }
        for t in plan.thresholds where t.abortOnFail && snapshot.elapsed >= t.delay {
            let result = ThresholdResult(evaluating: t, in: snapshot, baseline: options.baseline)
            if !result.passed && result.actual != nil {
                options.logger.warning(
                    "threshold failed, aborting", metadata: ["threshold": "\(t.description)", "measured": "\(result.message)"])
                beginStop(reason: "threshold: \(t.description) (\(result.message))")
                return
            }
        }
    }

    func makeSnapshot() -> StatsSnapshot {
        let now = NIODeadline.now().uptimeNanoseconds
        let elapsed = startNanos == 0 ? 0 : Double(now &- startNanos) / 1e9
        var byClass: [String: Int] = [:]
        for (i, cls) in plan.userClasses.enumerated() { byClass[cls.name, default: 0] += live[i].count }
        var arrival: ArrivalStats?
        // After resetStats(), rates and counts run from the reset.
        let statsElapsed = statsReset.map { Double(now &- $0.nanos) / 1e9 } ?? elapsed
        if let schedule = arrivalSchedule {
            // Iterations due after the stop began were never offered (nor started, nor dropped).
            let t = min(elapsed, schedule.duration, arrivalsStoppedAt ?? .infinity)
            let scheduled = schedule.count(at: t) - (statsReset?.scheduled ?? 0)
            let started = aggregator.iterationsStarted
            let span = min(statsElapsed, t)
            arrival = ArrivalStats(
                scheduled: scheduled, started: started, dropped: aggregator.iterationsDropped,
                offeredRate: span > 0 ? Double(scheduled) / span : 0, achievedRate: span > 0 ? Double(started) / span : 0,
                currentTargetRate: schedule.rate(at: t), lag: ScheduleLag(aggregator.lagHistogram))
        }
        let users = plan.load.isOpen ? shared.withLock { $0.users } : currentUsers()
        let warningsBefore = health.warningCount
        let h = health.sample(
            lagNanos: aggregator.lastLagNanos, maxLagNanos: aggregator.maxLagNanos, elapsed: elapsed,
            judge: phase == .spawning || phase == .running)
        for w in h.warnings.dropFirst(warningsBefore) { options.logger.warning("\(w)") }
        return aggregator.snapshot(
            timestamp: Date(), elapsed: statsElapsed, phase: phase, users: users, usersByClass: byClass, arrival: arrival,
            health: h)
    }

    func publish(_ snapshot: StatsSnapshot) {
        shared.withLock { $0.snapshot = snapshot }
    }

    func emptySnapshot() -> StatsSnapshot {
        StatsSnapshot.empty(threads: options.threads)
    }
}
