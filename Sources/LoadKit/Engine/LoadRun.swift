import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import FiredrillSupport

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

    let compiled: CompiledPlan
    let connector: Connector
    /// The users' loops: ``SocketEventLoopGroup`` (plain http) or NIO's (`transport`).
    let workers: any EventLoopGroup
    /// What drives the connections, resolved from ``RunOptions/transport``: `.sockets` or `.nio`.
    let transport: Transport
    let controlGroup: MultiThreadedEventLoopGroup
    let control: EventLoop
    let distribution: UserDistribution
    /// The most users this machine holds (``UserCapacity``); `setUsers` asks are capped to it.
    let userLimit: Int
    let shared = Mutex(Shared())
    /// User starts the loops ran after the stop was sent to them (tests of a timely stop).
    let stopProbe = StopProbe()

    // Confined to `control`; internal (not private) only for the +Start, +Spawning, +Ticks and
    // +Stopping extensions.
    var contexts: [LoopContext] = []
    var aggregator: StatsAggregator
    var startNanos: UInt64 = 0
    var startDate = Date()
    var lastTickNanos: UInt64 = 0
    var live: [[UserHandle]]
    var userNumber = 0
    var nextLoop = 0
    var spawn = SpawnState()
    var timers: [Scheduled<Void>] = []
    var tickTask: RepeatedTask?
    var phase = RunPhase.starting
    var endReason = "completed"
    var drainedLoops = 0
    var finalized = false
    var abandoned = 0
    var health = HealthMonitor()
    var arrivalSchedule: (any ArrivalTimeline)?
    var exhaustedLoops = 0
    var ramps: [RampRecord] = []
    /// Set by ``resetStats()``: when the statistics started over, and the open model's scheduled count then.
    var statsReset: (nanos: UInt64, scheduled: Int)?
    /// Moves with every ``resetStats()``, so a tick's harvest begun before a reset is not absorbed after it.
    var statsGeneration = 0
    /// Open model: seconds from the start when the stop began (nil before); the schedule offers nothing
    /// after it. Read from the moment the loops see (``StopProbe/arrivalsStoppedAt``).
    var arrivalsStoppedAt: Double? {
        let at = stopProbe.arrivalsStoppedAt.load(ordering: .sequentiallyConsistent)
        return at == .max ? nil : Double(at &- startNanos) / 1e9
    }
    /// Users wanted per class (``setUsers(byClass:spawnRate:)``); nil: shared by weight.
    var classTargets: [Int]?

    struct Shared {
        var started = false
        var snapshot: StatsSnapshot?
        var summary: RunSummary?
        var waiters: [CheckedContinuation<RunSummary, Never>] = []
        var stopRequests = 0
        var users = 0
    }

    struct SpawnState {
        var from = 0
        var to = 0
        var rate = 0.0
        var t0: UInt64 = 0
        var done = 0
        var timer: Scheduled<Void>?
        /// Changes with every retarget, so a batch completion from an earlier one is ignored.
        var generation = 0
    }

    /// Prepares a run; nothing connects until ``start()``. Refuses a plan whose peak users this machine
    /// cannot hold (``UserCapacity``: file descriptors, memory).
    public init(plan: LoadPlan, options: RunOptions = RunOptions()) throws(PlanError) {
        let capacity = UserCapacity.current()
        do {
            try capacity.check(users: UserCapacity.peakUsers(of: plan.load))
        } catch {
            throw PlanError(message: error.description)
        }
        userLimit = min(capacity.descriptorUsers, capacity.availableMemory.map { $0 / UserCapacity.bytesPerUser } ?? .max)
        self.plan = plan
        self.options = options
        compiled = try CompiledPlan(plan: plan, captureLimit: options.captureLimit)
        connector = Connector(connectTimeout: plan.http.connectTimeout, insecure: plan.http.insecure)
        transport = try options.transport.resolved(for: compiled.origins)
        workers = Self.makeWorkers(transport, threads: max(1, options.threads))
        controlGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        control = controlGroup.next()
        distribution = UserDistribution(classes: plan.userClasses)
        aggregator = StatsAggregator(keys: compiled.statKeys, historyCapacity: options.historyCapacity)
        live = Array(repeating: [], count: plan.userClasses.count)
    }

    deinit {
        shutdownGroups()
    }

    private static func makeWorkers(_ transport: Transport, threads: Int) -> any EventLoopGroup {
        #if os(Linux)
        if transport == .sockets { return SocketEventLoopGroup(numberOfThreads: threads) }
        #endif
        return MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    /// Shuts the event loops down without blocking (safe from any thread, also an event loop).
    func shutdownGroups() {
        workers.shutdownGracefully(queue: .global()) { _ in }
        controlGroup.shutdownGracefully(queue: .global()) { _ in }
    }

    var isFinished: Bool { shared.withLock { $0.summary != nil } }

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
        if transport == .sockets { resolveOrigins() }
        let loops = (0..<max(1, options.threads)).map { _ in workers.next() }
        var made: [LoopContext] = []
        for (i, loop) in loops.enumerated() {
            let ctx = try? await loop.submit { [compiled, connector, stopProbe] in
                UnsafeTransfer(LoopContext(loop: loop, index: i, plan: compiled, connector: connector, stopProbe: stopProbe))
            }.get()
            guard let ctx else { throw .failed("cannot start event loop \(i)") }
            made.append(ctx.value)
        }
        if let setupClass = compiled.setupClass {
            let ctx = made[0]
            let timeout = plan.setupTimeout
            let (failure, values) = await withCheckedContinuation { (c: CheckedContinuation<(String?, [TemplateValue?]), Never>) in
                ctx.loop.execute {
                    ctx.start()
                    let user = VirtualUser(ctx: ctx, cls: setupClass, number: -1)
                    user.setupCompletion = { failure, slots in c.resume(returning: (failure, slots)) }
                    user.start()
                    // `setup_timeout` bounds the whole setup (requests, polls, retries), not only each request.
                    ctx.loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(DurationText.timerNanoseconds(timeout))) {
                        guard let completion = user.setupCompletion else { return }
                        user.setupCompletion = nil
                        user.forceStop()
                        completion("did not finish within \(FailureCause.seconds(timeout)) (setup_timeout)", [])
                    }
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
            if users > userLimit {
                options.logger.warning("users capped", metadata: ["asked": "\(users)", "limit": "\(userLimit)"])
            }
            classTargets = nil
            retarget(users: min(max(0, users), userLimit), rate: spawnRate)
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
}
