import NIOCore

/// Changing the open model's rate while it runs (the web UI's `POST /swarm` with `rate`).
extension LoadRun {
    /// From now on, starts iterations at `rate` per second until the run's planned end: a constant
    /// arrival rate gets the new rate; a ramping (`stages`) shape has the rest of its stages replaced by
    /// the constant rate. Iterations already due keep their schedule; `max_users` stays, so iterations
    /// beyond it are dropped and counted. Refused for the closed model and for a replay (whose arrivals
    /// are its recording's).
    public func setArrivalRate(_ rate: Double) throws(PlanError) {
        guard rate.isFinite, rate > 0 else { throw PlanError(message: "the rate must be above 0 iterations per second") }
        switch plan.load {
        case .closed, .stages:
            throw PlanError(message: "a closed-model test has no arrival rate: change its users instead")
        case .replay:
            throw PlanError(message: "a replay's arrivals follow its recording: its rate cannot change while it runs")
        case .constantArrival, .rampingArrival:
            break
        }
        guard !isFinished else { return }
        control.execute { [self] in
            guard phase == .running, let current = arrivalSchedule else { return }
            let elapsed = Double(NIODeadline.now().uptimeNanoseconds &- startNanos) / 1e9
            guard elapsed < current.duration else { return }
            let timeline = RetargetedTimeline(base: current, at: elapsed, rate: rate)
            arrivalSchedule = timeline
            for ctx in contexts {
                ctx.loop.execute { ctx.arrival?.retime(timeline) }
            }
            options.logger.info("arrival rate changed", metadata: [
                "rate": "\(rate)", "at": "\(Int(elapsed))s", "from": "\(current.rate(at: elapsed))"])
        }
    }
}
