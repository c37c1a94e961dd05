import Foundation
import NIOCore
import FiredrillSupport

/// Stopping: drain in-flight requests within `stop_timeout`, then the final snapshot and the summary.
extension LoadRun {
    func beginStop(reason: String) {
        guard phase != .stopping && phase != .stopped else { return }
        guard !contexts.isEmpty else { return }
        phase = .stopping
        endReason = reason
        if arrivalSchedule != nil {
            stopProbe.arrivalsStoppedAt.store(NIODeadline.now().uptimeNanoseconds, ordering: .sequentiallyConsistent)
        }
        options.logger.info("stopping", metadata: ["reason": "\(reason)", "stop_timeout": "\(plan.stopTimeout)"])
        spawn.timer?.cancel()
        for t in timers { t.cancel() }
        timers.removeAll()
        live = live.map { _ in [] }
        drainedLoops = 0
        stopProbe.requested.store(true, ordering: .relaxed)
        for ctx in contexts {
            ctx.loop.execute { [self] in
                ctx.onDrained = { [self] in
                    ctx.onDrained = nil
                    control.execute { [self] in loopDrained() }
                }
                ctx.stopAll()
            }
        }
        timers.append(control.scheduleTask(in: .nanoseconds(DurationText.timerNanoseconds(plan.stopTimeout))) { [self] in
            forceStop()
        })
    }

    func loopDrained() {
        drainedLoops += 1
        if drainedLoops == contexts.count { finalize() }
    }

    func forceStop() {
        guard !finalized else { return }
        if phase != .stopping { beginStop(reason: "stopped") }
        let stopTimeout = plan.stopTimeout
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.forceStopAll(stopTimeout: stopTimeout) } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess { [self] counts in
            abandoned += counts.reduce(0, +)
            finalize()
        }
    }

    func finalize() {
        guard !finalized else { return }
        finalized = true
        tickTask?.cancel()
        for t in timers { t.cancel() }
        for ctx in contexts { ctx.loop.execute { ctx.shutdown() } }
        harvest { [self] samples in
            let now = NIODeadline.now().uptimeNanoseconds
            aggregator.absorb(samples, seconds: max(0.001, Double(now &- lastTickNanos) / 1e9))
            lastTickNanos = now
            options.onInterval?(aggregator.lastDelta(time: Date()))
            phase = .stopped
            shared.withLock { $0.users = 0 }
            live = live.map { _ in [] }
            var snapshot = makeSnapshot()
            snapshot.users = 0
            aggregator.recordHistory(snapshot)
            publish(snapshot)
            options.onTick?(snapshot)
            var summary = makeSummary(snapshot, endReason: endReason)
            if !plan.load.isOpen {
                summary.coordinatedOmission = OmissionDetector.report(
                    classes: plan.userClasses, entries: snapshot.entries, total: snapshot.total,
                    ticks: aggregator.slowTicks, duration: snapshot.elapsed, correct: options.coCorrection)
            }
            let waiters = shared.withLock { s in
                s.summary = summary
                defer { s.waiters.removeAll() }
                return s.waiters
            }
            options.logger.info("run finished", metadata: [
                "requests": "\(snapshot.total.requests)", "failures": "\(snapshot.total.failures)",
                "passed": "\(summary.passed)"])
            for w in waiters { w.resume(returning: summary) }
            shutdownGroups()
        }
    }
}
