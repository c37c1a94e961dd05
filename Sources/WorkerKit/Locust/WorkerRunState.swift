import FiredrillSupport
import Foundation
import LoadKit

/// The worker's side of one test: its `LoadRun` (one per test, from the first `spawn` to `stop`),
/// the stats collected for the master, and the state Locust's heartbeats report.
actor WorkerRunState {
    /// Locust's worker states (`locust/runners.py`).
    enum State: String { case ready, spawning, running, stopping, stopped }

    let plan: LoadPlan
    let settings: LocustWorkerSettings
    let onRunFinished: @Sendable (LoadPlan, RunSummary) -> Void
    let onTick: @Sendable (StatsSnapshot) -> Void
    private(set) var state = State.ready
    private(set) var run: LoadRun?
    private var runPlan: LoadPlan?
    private(set) var stats = LocustStats()
    private var lastSpawnTimestamp = 0.0
    private var requested: [String: Int] = [:]
    private var mapping: ClassMapping?
    private var lastCPU = (wall: Date().timeIntervalSince1970, cpu: ProcessUsage.cpuSeconds())
    var lastMasterHeartbeat = Date()
    private var startError: String?
    private var stopping: Task<Void, Never>?
    private var exceptionsSeen: [String: Int] = [:]

    init(plan: LoadPlan, settings: LocustWorkerSettings, onTick: @escaping @Sendable (StatsSnapshot) -> Void,
         onRunFinished: @escaping @Sendable (LoadPlan, RunSummary) -> Void) {
        self.plan = plan
        self.settings = settings
        self.onTick = onTick
        self.onRunFinished = onRunFinished
    }

    func masterHeartbeat() { lastMasterHeartbeat = Date() }

    /// The heartbeat's data: state, CPU percent since the last heartbeat, resident bytes.
    func heartbeat() -> MsgPackValue {
        let now = (wall: Date().timeIntervalSince1970, cpu: ProcessUsage.cpuSeconds())
        let span = now.wall - lastCPU.wall
        let percent = span > 0 ? (now.cpu - lastCPU.cpu) / span * 100 : 0
        lastCPU = now
        // A Locust worker reports only ready, spawning and running (its worker_state): a master counts
        // workers in other states as gone, and would end a headless run before this one's last stats.
        let reported = state == .stopping ? State.running : state == .stopped ? .ready : state
        return .object([
            "state": .string(reported.rawValue), "current_cpu_usage": .double((percent * 10).rounded() / 10),
            "current_memory_usage": .integer(ProcessUsage.residentBytes()),
        ])
    }

    /// The users per master class right now (what Locust's `user_classes_count` reports): the
    /// classes asked for, filled in order up to the live user count.
    func userClassesCount() -> [String: Int] {
        var left = run?.users ?? 0
        var out: [String: Int] = [:]
        for (name, n) in requested.sorted(by: { $0.key < $1.key }) {
            out[name] = min(n, left)
            left -= out[name]!
        }
        return out
    }

    /// Scenario errors (unset variables, exhausted feeders…) since the last call, as Locust's
    /// `exception` messages (one per occurrence, at most 100 per kind and call: the master counts them).
    func newExceptions() -> [MsgPackValue] {
        guard let run else { return [] }
        var out: [MsgPackValue] = []
        for e in run.snapshot.exceptions {
            let delta = e.count - (exceptionsSeen[e.message] ?? 0)
            guard delta > 0 else { continue }
            exceptionsSeen[e.message] = e.count
            out += Array(repeating: .object(["msg": .string(e.message), "traceback": .string("")]), count: min(delta, 100))
        }
        return out
    }

    /// The `stats` message's data.
    func report() -> MsgPackValue {
        let counts = userClassesCount()
        return stats.report(userClassesCount: counts, userCount: counts.values.reduce(0, +))
    }

    /// A `spawn` message: starts the run on the first, then moves to the users asked for.
    /// Returns the users to wait for, or nil when the message is stale.
    func spawn(_ job: MsgPackValue) async throws(LocustWorkerError) -> Int? {
        guard case .map = job, let classes = job["user_classes_count"]?.mapValue else {
            let keys = job.mapValue?.compactMap { $0.0.stringValue }.joined(separator: ", ") ?? "\(job)"
            throw .incompatibleMaster(
                "the master's spawn message has no user_classes_count (it has: \(keys)): it speaks an older Locust protocol "
                    + "(before 2.0); firedrill worker needs a Locust 2.x master")
        }
        let timestamp = job["timestamp"]?.doubleValue ?? Date().timeIntervalSince1970
        guard timestamp > lastSpawnTimestamp else { return nil }
        lastSpawnTimestamp = timestamp
        var counts: [String: Int] = [:]
        for (k, v) in classes { if let name = k.stringValue { counts[name] = v.intValue ?? 0 } }
        requested = counts
        let mapping = ClassMapping(master: counts, scenarioClasses: plan.userClasses.map(\.name))
        if self.mapping?.byName == nil && mapping.byName == nil && self.mapping == nil {
            settings.logger.info("master classes shared among the scenario's by weight", metadata: [
                "master": "\(counts.keys.sorted())", "scenario": "\(plan.userClasses.map(\.name))"])
        }
        self.mapping = mapping
        state = .spawning
        if run == nil { await startRun(job) }
        if let byName = mapping.byName {
            run?.setUsers(byClass: byName, spawnRate: .infinity)
        } else {
            run?.setUsers(mapping.total, spawnRate: .infinity)
        }
        return mapping.total
    }

    private func startRun(_ job: MsgPackValue) async {
        var plan = self.plan
        plan.load = .closed(users: 0, spawnRate: 1, runTime: nil)
        if settings.useMasterHost, let host = job["host"]?.stringValue, !host.isEmpty {
            if TargetURL(host) != nil { plan.host = host }
        }
        // Locust drops requests in flight at a stop when stop_timeout is 0; firedrill would count them as
        // StopTimeout failures (and fail the master's run), so they get a second to finish instead.
        plan.stopTimeout = max(job["stop_timeout"]?.doubleValue ?? 0, plan.stopTimeout, 1)
        let stats = LocustStats()
        self.stats = stats
        var options = RunOptions(threads: settings.threads, preflight: false, onTick: onTick, logger: settings.logger)
        options.onInterval = { stats.add($0) }
        options.transport = settings.transport
        do {
            let run = try LoadRun(plan: plan, options: options)
            try await run.start()
            self.run = run
            runPlan = plan
        } catch {
            settings.logger.error("cannot start the run: \(error)")
            startError = "\(error)"
        }
    }

    /// Why the last run could not start (sent to the master as an `exception`), then cleared.
    func takeStartError() -> String? {
        defer { startError = nil }
        return startError
    }

    /// Marks the spawn done.
    func spawned() { if state == .spawning { state = .running } }

    /// Stops the run (if any) and waits for it; its summary goes to `onRunFinished`.
    func stop() async {
        if let stopping {
            await stopping.value
            return
        }
        guard let run else { return }
        state = .stopping
        run.stop()
        let plan = runPlan
        let task = Task { [onRunFinished] in
            let summary = await run.wait()
            if let plan { onRunFinished(plan, summary) }
        }
        stopping = task
        await task.value
        stopping = nil
        self.run = nil
        exceptionsSeen = [:]
        requested = [:]
        mapping = nil
        state = .stopped
    }

    /// Back to ready for the next test.
    func ready() { state = .ready }
}
