import Foundation
import NIOCore
import NIOPosix
import FiredrillSupport

/// Starting: the reachability check, then users (closed model) or arrivals (open model) on a timeline.
extension LoadRun {
    func preflight(_ origin: Origin) async -> RunError? {
        let timeout = min(options.preflightTimeout, plan.http.connectTimeout)
        let future = ClientBootstrap(group: control)
            .connectTimeout(.nanoseconds(DurationText.timerNanoseconds(timeout)))
            .connect(host: origin.host, port: origin.port)
        do {
            let channel = try await future.get()
            if let address = channel.remoteAddress { connector.remember(address, for: origin) }
            try? await channel.close()
            return nil
        } catch {
            let cause = FailureCause(error, connectTimeout: timeout)
            let text: String = switch cause {
            case .connectionRefused: "connection refused (is the service running?)"
            case .connectTimeout: "no answer within \(FailureCause.seconds(timeout))"
            default: cause.message
            }
            return .unreachable(origin: origin.description, cause: text)
        }
    }

    /// Socket loops never resolve the plan's names themselves (getaddrinfo blocks): resolve the ones the
    /// preflight did not (a name that does not resolve fails its requests with NameResolutionError).
    func resolveOrigins() {
        for origin in compiled.origins { _ = try? connector.resolvedAddress(for: origin) }
    }

    func begin(_ made: [LoopContext]) {
        options.logger.info("run starting", metadata: [
            "host": "\(plan.host)", "load": "\(plan.load.summary)", "threads": "\(made.count)"])
        contexts = made
        startNanos = NIODeadline.now().uptimeNanoseconds
        lastTickNanos = startNanos
        startDate = Date()
        health.start(threads: contexts.count)
        for ctx in contexts {
            ctx.loop.execute { ctx.start() }
        }
        tickTask = control.scheduleRepeatedTask(
            initialDelay: .nanoseconds(Int64(options.tickInterval * 1e9)),
            delay: .nanoseconds(Int64(options.tickInterval * 1e9))
        ) { [self] _ in tick() }
        switch plan.load {
        case .closed(let users, let rate, let runTime):
            phase = .spawning
            retarget(users: users, rate: rate)
            if let runTime { after(runTime) { [self] in beginStop(reason: "completed") } }
        case .stages(let stages):
            phase = .spawning
            var t = 0.0
            var previous = 0
            for stage in stages {
                let rate = stage.spawnRate ?? (stage.duration > 0 ? Double(abs(stage.users - previous)) / stage.duration : 0)
                let users = stage.users
                if t == 0 {
                    retarget(users: users, rate: rate)
                } else {
                    after(t) { [self] in retarget(users: users, rate: rate) }
                }
                previous = stage.users
                t += stage.duration
            }
            after(t) { [self] in beginStop(reason: "completed") }
        case .constantArrival(let rate, let duration, let pre, let maxUsers):
            startArrivals(ArrivalSchedule(rate: rate, duration: duration), pre: pre, maxUsers: maxUsers)
        case .rampingArrival(let startRate, let stages, let pre, let maxUsers):
            startArrivals(ArrivalSchedule(startRate: startRate, stages: stages), pre: pre, maxUsers: maxUsers)
        case .replay(let timeline, let pre, let maxUsers):
            startArrivals(timeline, pre: pre, maxUsers: maxUsers)
        }
        publish(makeSnapshot())
    }

    func startArrivals(_ schedule: any ArrivalTimeline, pre: Int, maxUsers: Int) {
        phase = .running
        arrivalSchedule = schedule
        let n = contexts.count
        let start = startNanos
        let classes = compiled.classes
        let weights = plan.userClasses.map { $0.fixedCount ?? max($0.weight, 0) }
        for ctx in contexts {
            let share = (maxUsers + n - 1 - ctx.index) / n
            let preShare = (pre + n - 1 - ctx.index) / n
            ctx.loop.execute {
                var picker = WeightedPicker(weights: weights)
                let arrival = ArrivalLoop(
                    ctx: ctx, schedule: schedule, startNanos: start, loops: n, maxUsers: share, preAllocated: preShare,
                    onExhausted: { [self] in control.execute { [self] in arrivalsExhausted() } }
                ) { ctx in
                    let cls = classes[picker.next()]
                    let number = ctx.nextUserNumber
                    ctx.nextUserNumber += n
                    return VirtualUser(ctx: ctx, cls: cls, number: number)
                }
                ctx.arrival = arrival
                arrival.start()
            }
        }
        if !schedule.endsWhenDispatched {
            after(schedule.duration) { [self] in beginStop(reason: "completed") }
        }
    }

    /// A loop dispatched its last iteration; once every loop has, a replay stops (in-flight requests
    /// finish within `stop_timeout`).
    func arrivalsExhausted() {
        exhaustedLoops += 1
        if exhaustedLoops == contexts.count, let schedule = arrivalSchedule, schedule.endsWhenDispatched {
            beginStop(reason: "completed")
        }
    }

    func after(_ seconds: Double, _ body: @escaping @Sendable () -> Void) {
        timers.append(control.scheduleTask(
            deadline: .uptimeNanoseconds(startNanos &+ UInt64(DurationText.timerNanoseconds(seconds))), body))
    }
}
