import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A load test in progress: start it, read live snapshots, change the number of users, stop it.
///
/// ```swift
/// let run = try LoadRun(plan: plan)
/// try await run.start()
/// print(run.snapshot.total.currentRps)
/// run.setUsers(200, spawnRate: 20)
/// let summary = await run.wait()   // or run.stop()
/// ```
public final class LoadRun: @unchecked Sendable {
    /// The plan being run.
    public let plan: LoadPlan
    /// Engine settings.
    public let options: RunOptions

    private let compiled: CompiledPlan
    private let connector: Connector
    private let workers: MultiThreadedEventLoopGroup
    private let controlGroup: MultiThreadedEventLoopGroup
    private let control: EventLoop
    private let distribution: UserDistribution
    private let shared = Mutex(Shared())

    // Confined to `control`.
    private var contexts: [LoopContext] = []
    private var aggregator: StatsAggregator
    private var startNanos: UInt64 = 0
    private var startDate = Date()
    private var lastTickNanos: UInt64 = 0
    private var live: [[UserHandle]]
    private var userNumber = 0
    private var nextLoop = 0
    private var spawn = SpawnState()
    private var timers: [Scheduled<Void>] = []
    private var tickTask: RepeatedTask?
    private var phase = RunPhase.starting
    private var endReason = "completed"
    private var drainedLoops = 0
    private var finalized = false
    private var abandoned = 0
    private var health = HealthMonitor()
    private var arrivalSchedule: ArrivalSchedule?
    private var ramps: [RampRecord] = []

    private struct Shared {
        var started = false
        var snapshot: StatsSnapshot?
        var summary: RunSummary?
        var waiters: [CheckedContinuation<RunSummary, Never>] = []
        var stopRequests = 0
        var users = 0
    }

    private struct SpawnState {
        var from = 0
        var to = 0
        var rate = 0.0
        var t0: UInt64 = 0
        var done = 0
        var timer: Scheduled<Void>?
    }

    /// Prepares a run; nothing connects until ``start()``.
    public init(plan: LoadPlan, options: RunOptions = RunOptions()) throws(PlanError) {
        self.plan = plan
        self.options = options
        compiled = try CompiledPlan(plan: plan, captureLimit: options.captureLimit)
        connector = Connector(connectTimeout: plan.http.connectTimeout, insecure: plan.http.insecure)
        workers = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
        controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        control = controlGroup.next()
        distribution = UserDistribution(classes: plan.userClasses)
        aggregator = StatsAggregator(keys: compiled.statKeys, historyCapacity: options.historyCapacity)
        live = Array(repeating: [], count: plan.userClasses.count)
    }

    deinit {
        shutdownGroups()
    }

    /// Shuts the event loops down without blocking (safe from any thread, also an event loop).
    private func shutdownGroups() {
        workers.shutdownGracefully(queue: .global()) { _ in }
        controlGroup.shutdownGracefully(queue: .global()) { _ in }
    }

    private var isFinished: Bool { shared.withLock { $0.summary != nil } }

    // MARK: Public API

    /// Checks the target is reachable (unless disabled), then starts users or arrivals and returns.
    public func start() async throws(RunError) {
        let alreadyStarted = shared.withLock { s in
            defer { s.started = true }
            return s.started
        }
        if alreadyStarted { throw .alreadyStarted }
        if options.preflight {
            for origin in compiled.origins {
                if let error = await preflight(origin) {
                    shared.withLock { $0.summary = nil }
                    throw error
                }
            }
        }
        let loops = (0..<max(1, options.threads)).map { _ in workers.next() }
        var made: [LoopContext] = []
        for (i, loop) in loops.enumerated() {
            let ctx = try? await loop.submit { [compiled, connector] in
                UnsafeTransfer(LoopContext(loop: loop, index: i, plan: compiled, connector: connector))
            }.get()
            guard let ctx else { throw .failed("cannot start event loop \(i)") }
            made.append(ctx.value)
        }
        if let setupClass = compiled.setupClass {
            let ctx = made[0]
            let (failure, values) = await withCheckedContinuation { (c: CheckedContinuation<(String?, [TemplateValue?]), Never>) in
                ctx.loop.execute {
                    ctx.start()
                    let user = VirtualUser(ctx: ctx, cls: setupClass, number: -1)
                    user.setupCompletion = { failure, slots in c.resume(returning: (failure, slots)) }
                    user.start()
                }
            }
            if let failure {
                options.logger.error("setup failed", metadata: ["cause": "\(failure)"])
                throw .failed("setup failed: \(failure)")
            }
            options.logger.info("setup done", metadata: ["requests": "\(setupClass.onStart.count)"])
            for c in made {
                try? await c.loop.submit { c.globals = values }.get()
            }
        }
        let contexts = UnsafeTransfer(made)
        do {
            try await control.submit { [self] in begin(contexts.value) }.get()
        } catch {
            throw .failed("cannot start the run: \(error)")
        }
    }

    /// Starts the run and waits for it to finish.
    public func run() async throws(RunError) -> RunSummary {
        try await start()
        return await wait()
    }

    /// The latest snapshot (refreshed every ``RunOptions/tickInterval``).
    public var snapshot: StatsSnapshot {
        shared.withLock { $0.snapshot } ?? emptySnapshot()
    }

    /// Live users right now.
    public var users: Int { shared.withLock { $0.users } }

    /// Moves to `users` users at `spawnRate` per second (closed model; ignored in the open model).
    public func setUsers(_ users: Int, spawnRate: Double) {
        guard !isFinished else { return }
        control.execute { [self] in
            guard phase == .spawning || phase == .running, !plan.load.isOpen else { return }
            retarget(users: max(0, users), rate: spawnRate)
        }
    }

    /// Stops the run: no new requests, in-flight ones finish within `stopTimeout`; a second call stops at once.
    public func stop() {
        guard !isFinished else { return }
        let count = shared.withLock { s in
            s.stopRequests += 1
            return s.stopRequests
        }
        control.execute { [self] in
            if count == 1 {
                beginStop(reason: "stopped")
            } else {
                forceStop()
            }
        }
    }

    /// Waits until the run has finished and returns its summary.
    public func wait() async -> RunSummary {
        await withCheckedContinuation { (c: CheckedContinuation<RunSummary, Never>) in
            let ready: RunSummary? = shared.withLock { s in
                if let summary = s.summary { return summary }
                s.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    // MARK: Start

    private func preflight(_ origin: Origin) async -> RunError? {
        let timeout = min(options.preflightTimeout, plan.http.connectTimeout)
        let future = ClientBootstrap(group: control)
            .connectTimeout(.nanoseconds(Int64(timeout * 1e9)))
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

    private func begin(_ made: [LoopContext]) {
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
        }
        publish(makeSnapshot())
    }

    private func startArrivals(_ schedule: ArrivalSchedule, pre: Int, maxUsers: Int) {
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
                    ctx: ctx, schedule: schedule, startNanos: start, loops: n, maxUsers: share, preAllocated: preShare
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
        after(schedule.duration) { [self] in beginStop(reason: "completed") }
    }

    private func after(_ seconds: Double, _ body: @escaping @Sendable () -> Void) {
        timers.append(control.scheduleTask(
            deadline: .uptimeNanoseconds(startNanos &+ UInt64(max(0, seconds) * 1e9)), body))
    }

    // MARK: Spawning (closed model)

    private func currentUsers() -> Int { live.reduce(0) { $0 + $1.count } }

    private func retarget(users: Int, rate: Double) {
        spawn.timer?.cancel()
        spawn = SpawnState(
            from: currentUsers(), to: users, rate: rate, t0: NIODeadline.now().uptimeNanoseconds, done: 0, timer: nil)
        if phase == .running && users != spawn.from { phase = .spawning }
        spawnStep()
    }

    private func spawnStep() {
        guard phase == .spawning || phase == .running else { return }
        let total = abs(spawn.to - spawn.from)
        let remaining = total - spawn.done
        guard remaining > 0 else {
            phase = .running
            return
        }
        let now = NIODeadline.now().uptimeNanoseconds
        let due: Int
        if spawn.rate <= 0 || !spawn.rate.isFinite {
            due = remaining
        } else {
            let elapsed = Double(now &- spawn.t0) / 1e9
            due = min(remaining, max(0, Int((elapsed * spawn.rate).rounded(.down)) + 1 - spawn.done))
        }
        let growing = spawn.to > spawn.from
        for _ in 0..<due {
            if growing { spawnOne() } else { stopOne() }
        }
        spawn.done += due
        updateUserCount()
        if spawn.done < total {
            let next = spawn.t0 &+ UInt64(Double(spawn.done) / spawn.rate * 1e9)
            spawn.timer = control.scheduleTask(deadline: .uptimeNanoseconds(next)) { [self] in spawnStep() }
        } else {
            phase = .running
            options.logger.info("users reached", metadata: [
                "users": "\(spawn.to)", "seconds": "\(String(format3: Double(now &- startNanos) / 1e9))"])
            if ramps.count < 100 {
                ramps.append(RampRecord(
                    users: spawn.to, startedAt: Double(spawn.t0 &- startNanos) / 1e9,
                    reachedAt: Double(now &- startNanos) / 1e9))
            }
        }
    }

    private func spawnOne() {
        let counts = live.map(\.count)
        guard let classIndex = distribution.nextToSpawn(current: counts) else { return }
        let ctx = contexts[nextLoop % contexts.count]
        nextLoop += 1
        let user = VirtualUser(ctx: ctx, cls: compiled.classes[classIndex], number: userNumber)
        userNumber += 1
        let handle = UserHandle(user: user, ctx: ctx)
        live[classIndex].append(handle)
        ctx.loop.execute { handle.user.start() }
    }

    private func stopOne() {
        guard let classIndex = distribution.nextToStop(current: live.map(\.count)),
              let handle = live[classIndex].popLast() else { return }
        handle.ctx.loop.execute { handle.user.stop() }
    }

    private func updateUserCount() {
        let n = currentUsers()
        shared.withLock { $0.users = n }
    }

    // MARK: Ticks

    private func tick() {
        guard !finalized else { return }
        harvest { [self] samples in
            let now = NIODeadline.now().uptimeNanoseconds
            aggregator.absorb(samples, seconds: Double(now &- lastTickNanos) / 1e9)
            lastTickNanos = now
            if plan.load.isOpen { updateArrivalUsers() }
            let snapshot = makeSnapshot()
            aggregator.recordHistory(snapshot)
            publish(snapshot)
            options.onTick?(snapshot)
            checkAborts(snapshot)
        }
    }

    private func updateArrivalUsers() {
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.users.count } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess { [self] counts in
            let n = counts.reduce(0, +)
            shared.withLock { $0.users = n }
        }
    }

    private func harvest(_ body: @escaping @Sendable ([IntervalSample]) -> Void) {
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.stats.harvest() } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess(body)
    }

    private func checkAborts(_ snapshot: StatsSnapshot) {
        guard phase != .stopping && phase != .stopped else { return }
        for t in plan.thresholds where t.abortOnFail && snapshot.elapsed >= t.delay {
            let result = ThresholdResult(evaluating: t, in: snapshot)
            if !result.passed && result.actual != nil {
                options.logger.warning(
                    "threshold failed, aborting", metadata: ["threshold": "\(t.description)", "measured": "\(result.message)"])
                beginStop(reason: "threshold: \(t.description) (\(result.message))")
                return
            }
        }
    }

    private func makeSnapshot() -> StatsSnapshot {
        let now = NIODeadline.now().uptimeNanoseconds
        let elapsed = startNanos == 0 ? 0 : Double(now &- startNanos) / 1e9
        var byClass: [String: Int] = [:]
        for (i, cls) in plan.userClasses.enumerated() { byClass[cls.name, default: 0] += live[i].count }
        var arrival: ArrivalStats?
        if let schedule = arrivalSchedule {
            let t = min(elapsed, schedule.duration)
            let scheduled = schedule.count(at: t)
            let started = aggregator.iterationsStarted
            arrival = ArrivalStats(
                scheduled: scheduled, started: started, dropped: aggregator.iterationsDropped,
                offeredRate: t > 0 ? Double(scheduled) / t : 0, achievedRate: t > 0 ? Double(started) / t : 0,
                currentTargetRate: schedule.rate(at: t))
        }
        let users = plan.load.isOpen ? shared.withLock { $0.users } : currentUsers()
        let warningsBefore = health.warningCount
        let h = health.sample(
            lagNanos: aggregator.lastLagNanos, maxLagNanos: aggregator.maxLagNanos, elapsed: elapsed,
            judge: phase == .spawning || phase == .running)
        for w in h.warnings.dropFirst(warningsBefore) { options.logger.warning("\(w)") }
        return aggregator.snapshot(
            timestamp: Date(), elapsed: elapsed, phase: phase, users: users, usersByClass: byClass, arrival: arrival,
            health: h)
    }

    private func publish(_ snapshot: StatsSnapshot) {
        shared.withLock { $0.snapshot = snapshot }
    }

    private func emptySnapshot() -> StatsSnapshot {
        let empty = EntryStats(
            method: "", name: "Aggregated", cumulative: EntryAccumulator(), elapsed: 0, current: EntryAccumulator(),
            currentSeconds: 0, window: nil)
        return StatsSnapshot(
            timestamp: Date(), elapsed: 0, phase: .starting, users: 0, usersByClass: [:], entries: [], total: empty,
            failures: [], exceptions: [], arrival: nil,
            health: GeneratorHealth(
                threads: options.threads, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0, warnings: [],
                saturated: false))
    }

    // MARK: Stopping

    private func beginStop(reason: String) {
        guard phase != .stopping && phase != .stopped else { return }
        guard !contexts.isEmpty else { return }
        phase = .stopping
        endReason = reason
        options.logger.info("stopping", metadata: ["reason": "\(reason)", "stop_timeout": "\(plan.stopTimeout)"])
        spawn.timer?.cancel()
        for t in timers { t.cancel() }
        timers.removeAll()
        live = live.map { _ in [] }
        drainedLoops = 0
        for ctx in contexts {
            ctx.loop.execute { [self] in
                ctx.onDrained = { [self] in
                    ctx.onDrained = nil
                    control.execute { [self] in loopDrained() }
                }
                ctx.stopAll()
            }
        }
        timers.append(control.scheduleTask(in: .nanoseconds(Int64(max(0, plan.stopTimeout) * 1e9))) { [self] in
            forceStop()
        })
    }

    private func loopDrained() {
        drainedLoops += 1
        if drainedLoops == contexts.count { finalize() }
    }

    private func forceStop() {
        guard !finalized else { return }
        if phase != .stopping { beginStop(reason: "stopped") }
        let futures = contexts.map { ctx in ctx.loop.submit { ctx.forceStopAll() } }
        EventLoopFuture.whenAllSucceed(futures, on: control).whenSuccess { [self] counts in
            abandoned += counts.reduce(0, +)
            finalize()
        }
    }

    private func finalize() {
        guard !finalized else { return }
        finalized = true
        tickTask?.cancel()
        for t in timers { t.cancel() }
        for ctx in contexts { ctx.loop.execute { ctx.shutdown() } }
        harvest { [self] samples in
            let now = NIODeadline.now().uptimeNanoseconds
            aggregator.absorb(samples, seconds: max(0.001, Double(now &- lastTickNanos) / 1e9))
            lastTickNanos = now
            phase = .stopped
            shared.withLock { $0.users = 0 }
            live = live.map { _ in [] }
            var snapshot = makeSnapshot()
            snapshot.users = 0
            aggregator.recordHistory(snapshot)
            publish(snapshot)
            options.onTick?(snapshot)
            let summary = RunSummary(
                startTime: startDate, endTime: Date(), duration: snapshot.elapsed, stats: snapshot,
                history: aggregator.history.all,
                thresholds: plan.thresholds.map { ThresholdResult(evaluating: $0, in: snapshot) },
                endReason: endReason, abandonedRequests: abandoned, ramps: ramps)
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

/// A user and its loop, held by the controller to stop it later.
private struct UserHandle: @unchecked Sendable {
    let user: VirtualUser
    let ctx: LoopContext
}
