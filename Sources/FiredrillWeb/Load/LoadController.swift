import Foundation
import LoadKit
import Logging
import Synchronization

/// The load test behind the web UI, in Locust's states: `ready` (nothing started yet), `spawning`,
/// `running`, `stopping`, `stopped`. Each ``swarm(_:)`` from `ready` or `stopped` starts a new
/// ``LoadRun`` of the scenario with the form's numbers; one while running changes the user count (or,
/// in the open model, the arrival rate: ``LoadRun/setArrivalRate(_:)``).
/// Safe from any thread; the run reports each snapshot through ``RunOptions/onTick``.
public final class LoadController: Sendable {
    /// The scenario as loaded (with the command line's overrides): the form's defaults.
    public let basePlan: LoadPlan
    let options: RunOptions
    let reports: ReportFiles?
    /// `--start-at`: no test starts before this moment (``swarm(_:)`` answers 409 until then).
    public let startAt: Date?
    let state = Mutex(State())

    struct State {
        var run: LoadRun?
        var plan: LoadPlan?
        var generation = 0
        var starting = false
        var summary: RunSummary?
        var series = LiveSeries()
        var finishWaiters: [CheckedContinuation<RunSummary, Never>] = []
    }

    /// A controller; `options` are every run's engine settings (its `onTick` is called too), `reports`
    /// the files each run writes (`--csv`, `--html`, …), rewritten by each new run.
    /// `startAt` (`--start-at`) holds every start until that moment.
    public init(plan: LoadPlan, options: RunOptions = RunOptions(), reports: ReportFiles? = nil, startAt: Date? = nil) {
        basePlan = plan
        self.options = options
        self.reports = reports
        self.startAt = startAt
    }

    /// Locust's state name.
    public var stateName: String {
        state.withLock { s in
            if s.starting { return "spawning" }
            guard let run = s.run else { return "ready" }
            if s.summary != nil { return "stopped" }
            switch run.snapshot.phase {
            case .starting, .spawning: return "spawning"
            case .running: return "running"
            case .stopping: return "stopping"
            case .stopped: return "stopped"
            }
        }
    }

    /// The run in progress or the last one (nil before the first swarm).
    public var run: LoadRun? { state.withLock { $0.run } }

    /// The plan of the current or last run, else the scenario's.
    public var plan: LoadPlan { state.withLock { $0.plan } ?? basePlan }

    /// Starts a run with the form's numbers, or changes the one running: its user count (closed model)
    /// or its arrival rate (open model, the form's `rate`).
    /// Nothing starts when a field is wrong or the host does not answer (a ``WebError`` naming why).
    @discardableResult
    public func swarm(_ form: SwarmForm) async throws(WebError) -> SwarmAnswer {
        enum Step { case retarget(LoadRun), start(Int), busy(String), notYet(String) }
        let step: Step = state.withLock { s in
            if s.starting { return .busy("a test is starting; wait for it") }
            if let run = s.run, s.summary == nil {
                if run.snapshot.phase == .stopping { return .busy("the test is stopping; start again once it has stopped") }
                return .retarget(run)
            }
            if let startAt, startAt.timeIntervalSinceNow > 0 {
                return .notYet("start_at: the test starts by itself at \(startAt.formatted(.iso8601)) (--start-at); it cannot start earlier")
            }
            s.starting = true
            s.generation += 1
            return .start(s.generation)
        }
        switch step {
        case .busy(let why):
            throw WebError(.conflict, code: "conflict", message: why)
        case .notYet(let why):
            throw WebError(.conflict, code: "conflict", field: "start_at", message: why)
        case .retarget(let run):
            return try retarget(run, form)
        case .start(let generation):
            do {
                return try await start(form, generation: generation)
            } catch {
                state.withLock { $0.starting = false }
                throw error
            }
        }
    }

    /// `--autostart`: waits for ``startAt`` (when set), then starts a test with the scenario's numbers.
    /// Returns early, starting nothing, when the task is cancelled while waiting.
    public func autostart() async throws(WebError) {
        while let startAt, startAt.timeIntervalSinceNow > 0 {
            let nanos = UInt64(min(startAt.timeIntervalSinceNow, 3600) * 1e9) + 1_000_000
            do { try await Task.sleep(nanoseconds: nanos) } catch { return }
        }
        try await swarm(SwarmForm(fields: [:]))
    }

    private func retarget(_ run: LoadRun, _ form: SwarmForm) throws(WebError) -> SwarmAnswer {
        let plan = self.plan
        if plan.load.isOpen {
            guard let rate = form.rate else { throw .field("rate", "give the new rate (iterations per second)") }
            do {
                try run.setArrivalRate(rate)
            } catch {
                throw WebError(.conflict, code: "conflict", field: "rate", message: "rate: \(error.message)")
            }
            options.logger.info("arrival rate changed from the web UI", metadata: ["rate": "\(rate)"])
            return SwarmAnswer(message: "Rate changed", host: plan.host, runTime: nil)
        }
        try Self.refuseRate(form)
        guard let users = form.userCount else { throw .field("user_count", "give the number of users") }
        let rate = form.spawnRate ?? Double(max(users, 1))
        run.setUsers(users, spawnRate: rate)
        options.logger.info("users changed from the web UI", metadata: ["users": "\(users)", "spawn_rate": "\(rate)"])
        return SwarmAnswer(message: "Swarming started", host: plan.host, runTime: nil)
    }

    /// A closed-model (users) scenario has no arrival rate: a `rate` would be ignored, so it is refused.
    private static func refuseRate(_ form: SwarmForm) throws(WebError) {
        guard form.rate != nil else { return }
        throw .field("rate", "this scenario is a closed model (users), which has no arrival rate; set user_count and spawn_rate")
    }

    private func start(_ form: SwarmForm, generation: Int) async throws(WebError) -> SwarmAnswer {
        if !basePlan.load.isOpen, form.userCount == 0 {
            throw .field("user_count", "must be at least 1 to start a test")
        }
        if !basePlan.load.isOpen { try Self.refuseRate(form) }
        let plan: LoadPlan
        do {
            plan = try form.overrides(base: basePlan).apply(to: basePlan)
        } catch {
            throw WebError(.badRequest, code: "invalid_field", field: Self.field(of: error.message), message: error.message)
        }
        var options = self.options
        let reports = self.reports
        let outer = options.onTick
        options.onTick = { [weak self] snapshot in
            self?.record(snapshot, generation: generation)
            reports?.tick(snapshot)
            outer?(snapshot)
        }
        let run: LoadRun
        do {
            try reports?.prepare(plan: plan)
            run = try LoadRun(plan: plan, options: options)
        } catch let error as PlanError {
            throw WebError(.badRequest, code: "invalid_field", field: "user_count", message: "user_count: \(error.message)")
        } catch {
            throw WebError(.internalServerError, code: "report_files", message: "\(error)")
        }
        do {
            try await run.start()
        } catch {
            switch error {
            case .unreachable:
                throw WebError(.badRequest, code: "unreachable", field: "host", message: "host: \(error)")
            default:
                throw WebError(.badRequest, code: "run_failed", message: "\(error)")
            }
        }
        state.withLock { s in
            s.run = run
            s.plan = plan
            s.summary = nil
            s.series = LiveSeries()
            s.starting = false
        }
        options.logger.info("test started from the web UI", metadata: ["host": "\(plan.host)", "load": "\(plan.load.summary)"])
        Task { [self] in
            let summary = await run.wait()
            finished(summary, plan: plan, generation: generation)
        }
        return SwarmAnswer(message: "Swarming started", host: plan.host, runTime: form.runTime)
    }

    /// Stops the run (a second call stops at once, dropping requests in flight).
    public func stop() {
        run?.stop()
    }

    /// Locust's *Reset stats*: the running test's statistics and CSV history start over.
    public func resetStats() {
        let run: LoadRun? = state.withLock { s in
            guard s.summary == nil else { return nil }
            s.series.resetHistory()
            return s.run
        }
        run?.resetStats()
    }

    /// Waits until the run in progress has finished and returns its summary; when none is in progress,
    /// returns the last finished one at once, or waits for the first to finish.
    public func waitForFinish() async -> RunSummary {
        await withCheckedContinuation { c in
            let done: RunSummary? = state.withLock { s in
                if !s.starting, let summary = s.summary { return summary }
                s.finishWaiters.append(c)
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    /// The last finished run's summary (nil while the first run goes on or before it).
    public var lastSummary: RunSummary? { state.withLock { $0.summary } }

    private func record(_ snapshot: StatsSnapshot, generation: Int) {
        state.withLock { s in
            guard s.generation == generation else { return }
            s.series.append(snapshot)
        }
    }

    private func finished(_ summary: RunSummary, plan: LoadPlan, generation: Int) {
        do {
            try reports?.finish(plan: plan, summary: summary)
        } catch {
            options.logger.error("cannot write the report files", metadata: ["error": "\(error)"])
        }
        let waiters = state.withLock { s in
            if s.generation == generation { s.summary = summary }
            defer { s.finishWaiters.removeAll() }
            return s.finishWaiters
        }
        options.logger.info("test finished", metadata: ["reason": "\(summary.endReason)", "passed": "\(summary.passed)"])
        for w in waiters { w.resume(returning: summary) }
    }

    /// The form field a plan error is about, from the flag it names.
    static func field(of message: String) -> String? {
        if message.contains("--host") { return "host" }
        if message.contains("--users") { return "user_count" }
        if message.contains("--spawn-rate") { return "spawn_rate" }
        if message.contains("--arrival-rate") || message.contains("--run-time") { return "run_time" }
        if message.contains("tags") { return "tags" }
        return nil
    }
}

/// `POST /swarm`'s answer in Locust's shape.
public struct SwarmAnswer: Encodable, Sendable {
    var success = true
    var message: String
    var host: String
    var runTime: Double?

    enum CodingKeys: String, CodingKey { case success, message, host, runTime = "run_time" }
}
