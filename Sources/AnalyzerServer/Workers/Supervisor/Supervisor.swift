import AnalyzerAPI
import FiredrillSupport
import Foundation
import Logging
import NIOHTTP1

/// Runs N worker processes on one listening socket: restarts dead workers, scales live, rolls
/// restarts one worker at a time, recycles workers after `--max-requests`, kills a worker far
/// over its memory share (as an OOM killer would), and serves one `/metrics` for the service.
actor Supervisor {
    enum State: String { case starting, ready, draining }

    struct Worker {
        var slot: Int
        var generation: Int
        var pid: Int32
        /// The worker's process (its exit reaches ``Supervisor/workerExited(generation:status:)``).
        var process: ChildProcess
        var state: State
        var socket: String
        var startedAt: Double
        var residentBytes: Int64 = 0
        var replacing = false
    }

    let configuration: ServerConfiguration
    let runDirectory: String
    let listeningSocket: Int32
    let logger: Logger
    let faults: FaultRegistry
    private(set) var desired: Int
    private(set) var maxRequests: Int
    private(set) var maxRequestsJitter: Int
    private(set) var implementation: FeaturesImplementation
    private var workers: [Int32: Worker] = [:]
    private var generation = 0
    private var restarts: [String: Int] = ["crash": 0, "oom": 0, "max_requests": 0, "rolling": 0, "scale": 0]
    private var oomKilled: Set<Int32> = []
    private var crashStreak: [Int: Int] = [:]
    private var readyWaiters: [Int32: CheckedContinuation<Bool, Never>] = [:]
    private var exitWaiters: [Int32: [CheckedContinuation<Void, Never>]] = [:]
    private var lastScrape: [Int32: String] = [:]
    private var retiredCounters: [String: Double] = [:]
    private var stopping = false
    /// The supervisor's copy of the listening socket is closed when it starts stopping.
    private(set) var listeningSocketOpen = true
    private var busy = false
    /// Slots left without a worker, retried with backoff.
    private var emptySlots = EmptySlots()
    private var pending = 0

    init(configuration: ServerConfiguration, runDirectory: String, listeningSocket: Int32, logger: Logger) {
        self.configuration = configuration
        self.runDirectory = runDirectory
        self.listeningSocket = listeningSocket
        self.logger = logger
        desired = max(1, configuration.workers ?? 1)
        maxRequests = configuration.maxRequests
        maxRequestsJitter = configuration.maxRequestsJitter
        implementation = configuration.featuresImplementation
        faults = FaultRegistry(logger: logger)
    }

    /// Each worker's share of the memory budget.
    var memoryShare: Int64? { configuration.memoryLimit.map { $0.bytes / Int64(desired) } }

    // MARK: Life cycle

    /// Starts the configured workers and waits until they serve.
    func start() async throws {
        let started = await withTaskGroup(of: Bool.self) { group in
            for slot in 0..<desired { group.addTask { await self.spawnAndWait(slot: slot) } }
            var all = true
            for await ok in group { all = all && ok }
            return all
        }
        guard started else { throw ListeningSocket.Failure(description: "workers did not start; see the log above") }
        logger.info("all workers ready", metadata: ["workers": "\(desired)", "features_impl": "\(implementation.rawValue)"])
    }

    /// Spawns a worker in `slot` and waits (bounded) until it reports ready.
    @discardableResult
    func spawnAndWait(slot: Int, timeout: Duration = .seconds(30)) async -> Bool {
        generation += 1
        let spec = WorkerSpec(
            slot: slot, generation: generation, runDirectory: runDirectory, memoryShareBytes: memoryShare,
            configuration: configurationForWorkers())
        let process: ChildProcess
        do {
            process = try launch(spec)
        } catch {
            logger.error("spawning a worker failed", metadata: ["slot": "\(slot)", "error": "\(error)"])
            return false
        }
        let pid = process.pid
        workers[pid] = Worker(
            slot: slot, generation: spec.generation, pid: pid, process: process, state: .starting, socket: spec.workerSocket,
            startedAt: Date().timeIntervalSince1970)
        logger.info("worker starting", metadata: ["slot": "\(slot)", "pid": "\(pid)", "generation": "\(spec.generation)"])
        let ready = await withCheckedContinuation { continuation in
            readyWaiters[pid] = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.resolveReady(pid, false)
            }
        }
        if !ready, workers[pid] != nil {
            logger.error("worker did not become ready in time; killing it", metadata: ["pid": "\(pid)"])
            process.signal(SIGKILL)
        }
        return ready
    }

    private func configurationForWorkers() -> ServerConfiguration {
        var c = configuration
        c.maxRequests = maxRequests
        c.maxRequestsJitter = maxRequestsJitter
        c.featuresImplementation = implementation
        return c
    }

    private func resolveReady(_ pid: Int32, _ value: Bool) {
        readyWaiters.removeValue(forKey: pid)?.resume(returning: value)
    }

    /// A worker reported that it serves.
    func workerReady(_ hello: WorkerHello) {
        guard var worker = workers[hello.pid] else { return }
        worker.state = .ready
        workers[hello.pid] = worker
        crashStreak[worker.slot] = 0
        logger.info("worker ready", metadata: ["slot": "\(worker.slot)", "pid": "\(hello.pid)"])
        resolveReady(hello.pid, true)
    }

    /// A worker's process ended (reported by its ``ChildProcess``).
    func workerExited(generation: Int, status: ChildProcess.ExitStatus) async {
        guard let pid = workers.first(where: { $0.value.generation == generation })?.key,
              let worker = workers.removeValue(forKey: pid)
        else { return }
        let how = status.description
        if let text = lastScrape.removeValue(forKey: pid) {
            retiredCounters.merge(MetricsMerger.cumulativeSamples(text)) { $0 + $1 }
        }
        resolveReady(pid, false)
        for waiter in exitWaiters.removeValue(forKey: pid) ?? [] { waiter.resume() }
        if worker.state == .draining || stopping {
            logger.info("worker stopped", metadata: ["slot": "\(worker.slot)", "pid": "\(pid)", "how": "\(how)"])
            return
        }
        // `oom`: killed by this supervisor over its share, or a serving worker SIGKILLed by someone
        // else, which on Linux is almost always the kernel's OOM killer. Anything else: `crash`.
        let killedFromOutside = status == .signaled(SIGKILL) && worker.state == .ready
        let cause = oomKilled.remove(pid) != nil || killedFromOutside ? "oom" : "crash"
        restarts[cause, default: 0] += 1
        let streak = (crashStreak[worker.slot] ?? 0) + 1
        crashStreak[worker.slot] = streak
        logger.error(
            "worker died; restarting it",
            metadata: ["slot": "\(worker.slot)", "pid": "\(pid)", "how": "\(how)", "cause": "\(cause)"])
        guard liveSlots().filter({ $0 == worker.slot }).isEmpty, worker.slot < desired else { return }
        // Back off when a slot keeps crashing at start-up.
        let uptime = Date().timeIntervalSince1970 - worker.startedAt
        if uptime < 2, streak > 1 {
            try? await Task.sleep(for: .milliseconds(min(5000, 250 << min(streak, 5))))
        }
        guard !stopping else { return }
        await spawnAndWait(slot: worker.slot)
    }

    private func liveSlots() -> [Int] { workers.values.filter { $0.state != .draining }.map(\.slot) }

    /// Asks one worker to drain and waits (bounded) for it to exit; SIGKILL after the timeout.
    private func drain(_ pid: Int32) async {
        guard var worker = workers[pid] else { return }
        worker.state = .draining
        workers[pid] = worker
        logger.info("draining worker", metadata: ["slot": "\(worker.slot)", "pid": "\(pid)"])
        lastScrape[pid] = try? await scrape(worker)
        if (try? await UnixHTTP.send(socket: worker.socket, method: .POST, path: "/internal/drain", timeout: .seconds(5))) == nil {
            worker.process.signal(SIGTERM)
        }
        let limit = configuration.gracefulTimeout + .seconds(5)
        let exited = await waitForExit(pid, timeout: limit)
        if !exited {
            logger.warning("worker did not exit after draining; killing it", metadata: ["pid": "\(pid)"])
            worker.process.signal(SIGKILL)
            _ = await waitForExit(pid, timeout: .seconds(5))
        }
    }

    private func waitForExit(_ pid: Int32, timeout: Duration) async -> Bool {
        guard workers[pid] != nil else { return true }
        let deadline = ContinuousClock.now + timeout
        Task {
            try? await Task.sleep(until: deadline)
            self.releaseExitWaiters(pid)
        }
        await withCheckedContinuation { exitWaiters[pid, default: []].append($0) }
        return workers[pid] == nil
    }

    private func releaseExitWaiters(_ pid: Int32) {
        for waiter in exitWaiters.removeValue(forKey: pid) ?? [] { waiter.resume() }
    }

    /// Replaces one worker: the new one serves before the old one drains.
    private func replace(_ pid: Int32, cause: String) async {
        guard var old = workers[pid], !old.replacing else { return }
        old.replacing = true
        workers[pid] = old
        guard await spawnAndWait(slot: old.slot) else {
            workers[pid]?.replacing = false
            return
        }
        restarts[cause, default: 0] += 1
        await drain(pid)
    }

    /// A worker served its `--max-requests`.
    func recycle(_ hello: WorkerHello) async {
        guard workers[hello.pid]?.state == .ready, !stopping else { return }
        await replace(hello.pid, cause: "max_requests")
    }

    /// Replaces every worker, one at a time (`SIGHUP`, or the admin API to ship a patch).
    func rollingRestart(implementation newImplementation: FeaturesImplementation?) async {
        if let newImplementation { implementation = newImplementation }
        logger.info("rolling restart", metadata: ["features_impl": "\(implementation.rawValue)"])
        let current = workers.values.filter { $0.state != .draining }.sorted { $0.slot < $1.slot }.map(\.pid)
        for pid in current where !stopping { await replace(pid, cause: "rolling") }
    }

    /// Changes the number of workers and/or the recycling limit.
    func scale(to count: Int?, maxRequests newMax: Int?, jitter newJitter: Int? = nil) async {
        if let newJitter { maxRequestsJitter = newJitter }
        if let newMax {
            maxRequests = newMax
            await pushSettings()
        }
        guard let count, count != desired else { return }
        let previous = desired
        desired = count
        logger.info("scaling workers", metadata: ["from": "\(previous)", "to": "\(count)"])
        if count > previous {
            await withTaskGroup(of: Void.self) { group in
                for slot in previous..<count { group.addTask { await self.spawnAndWait(slot: slot) } }
            }
        } else {
            let surplus = workers.values.filter { $0.slot >= count && $0.state != .draining }.map(\.pid)
            restarts["scale", default: 0] += surplus.count
            await withTaskGroup(of: Void.self) { group in
                for pid in surplus { group.addTask { await self.drain(pid) } }
            }
        }
        await pushSettings()
    }

    /// Sends the current share and recycling limit to every worker.
    private func pushSettings() async {
        let settings = WorkerInternalRoutes.Settings(
            memoryShareBytes: memoryShare, maxRequests: maxRequests, maxRequestsJitter: maxRequestsJitter)
        guard let body = try? UnixHTTP.json(settings) else { return }
        for worker in workers.values where worker.state == .ready {
            _ = try? await UnixHTTP.send(socket: worker.socket, method: .PUT, path: "/internal/settings", body: body, timeout: .seconds(5))
        }
    }

    /// Sends the fault set to every worker.
    func pushFaults() async {
        guard let body = try? UnixHTTP.json(faults.active()) else { return }
        for worker in workers.values where worker.state != .draining {
            _ = try? await UnixHTTP.send(socket: worker.socket, method: .PUT, path: "/internal/faults", body: body, timeout: .seconds(5))
        }
    }

    /// Drains every worker and stops (SIGTERM/SIGINT).
    func stop() async {
        guard !stopping else { return }
        stopping = true
        // Stop accepting at drain start, as one process does: with this copy closed, the port
        // closes as soon as the draining workers have closed theirs, so a new connection is refused
        // at once instead of waiting in the queue and being reset when the last worker exits.
        close(listeningSocket)
        listeningSocketOpen = false
        logger.info("stopping: closed the listening socket; draining all workers")
        await withTaskGroup(of: Void.self) { group in
            for pid in workers.keys { group.addTask { await self.drain(pid) } }
        }
    }

    /// Runs one pool operation at a time (scaling, rolling restarts, recycling).
    func exclusively<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        while busy { try await Task.sleep(for: .milliseconds(20)) }
        busy = true
        pending = max(0, pending - 1)
        defer { busy = false }
        return try await body()
    }

    /// Queues a pool operation and returns; `report().busy` stays true until it has run.
    func inBackground(_ body: @escaping @Sendable () async -> Void) {
        pending += 1
        Task { try? await self.exclusively { await body() } }
    }

    /// Starts a worker in every slot that stayed empty (see `EmptySlots`); called every few seconds.
    func refillEmptySlots() async {
        guard !stopping, !busy, pending == 0 else { return }
        for slot in emptySlots.due(live: Set(liveSlots()), desired: desired, now: Date()) {
            guard !stopping, !liveSlots().contains(slot) else { continue }
            logger.warning("worker slot still empty: starting a worker in it", metadata: ["slot": "\(slot)"])
            await spawnAndWait(slot: slot)
        }
    }

    // MARK: Memory and metrics

    /// Reads each worker's RSS; kills a worker far over its share.
    func checkMemory() {
        for (pid, var worker) in workers {
            worker.residentBytes = Self.residentBytes(of: pid)
            workers[pid] = worker
            if let share = memoryShare, share > 0, worker.state != .starting,
               Double(worker.residentBytes) > Double(share) * configuration.oomKillFactor, !oomKilled.contains(pid) {
                logger.error(
                    "worker far over its memory share: killing it",
                    metadata: ["slot": "\(worker.slot)", "pid": "\(pid)", "rss": "\(ByteSize.format(worker.residentBytes))",
                               "share": "\(ByteSize.format(share))"])
                oomKilled.insert(pid)
                worker.process.signal(SIGKILL)
            }
        }
    }

    static func residentBytes(of pid: Int32) -> Int64 {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int64(fields[1]) ?? 0) * ProcessStats.pageSize : 0
    }

    private func scrape(_ worker: Worker) async throws -> String {
        let reply = try await UnixHTTP.send(socket: worker.socket, path: "/internal/metrics", timeout: .seconds(3))
        return String(buffer: reply.body)
    }

    /// Scrapes every worker that has served (draining ones too); a worker that does not answer
    /// contributes its last scrape, and that last scrape is what is carried over when it exits —
    /// so the merged counters never go backwards.
    func scrapeAll() async -> [String] {
        let known = workers.values.filter { $0.state != .starting }
        var fresh: [Int32: String] = [:]
        await withTaskGroup(of: (Int32, String?).self) { group in
            for worker in known { group.addTask { (worker.pid, try? await self.scrape(worker)) } }
            for await (pid, text) in group { if let text { fresh[pid] = text } }
        }
        for (pid, text) in fresh where workers[pid] != nil { lastScrape[pid] = text }
        return known.compactMap { lastScrape[$0.pid] }
    }

    /// The whole service's metrics: workers merged, plus the pool and memory figures.
    func metricsText() async -> String {
        let scraped = await scrapeAll()
        checkMemory()
        var merger = MetricsMerger()
        merger.excluded = ["csv_analyzer_fault_active"]
        for text in scraped { merger.add(text) }
        for (key, value) in retiredCounters { merger.addSample(key: key, value: value) }
        var out = merger.render()
        let serving = workers.values.filter { $0.state != .draining }
        let total = workers.values.reduce(Int64(0)) { $0 + $1.residentBytes }
        out += ServiceMetrics.processMetrics(ProcessStats.current(), memoryLimitBytes: configuration.memoryLimit?.bytes)
        out += ServiceMetrics.gauge("csv_analyzer_resident_memory_bytes", "Memory in use by the service: the sum of its workers' RSS.", String(total))
        out += "# HELP csv_analyzer_worker_resident_memory_bytes Resident memory of each worker.\n# TYPE csv_analyzer_worker_resident_memory_bytes gauge\n"
        for worker in workers.values.sorted(by: { $0.slot < $1.slot }) where worker.state != .draining {
            out += "csv_analyzer_worker_resident_memory_bytes{worker=\"\(worker.slot)\"} \(worker.residentBytes)\n"
        }
        out += ServiceMetrics.gauge("csv_analyzer_workers", "Worker processes alive and serving.", String(serving.filter { $0.state == .ready }.count))
        out += ServiceMetrics.gauge("csv_analyzer_workers_desired", "Worker processes wanted.", String(desired))
        out += "# HELP csv_analyzer_worker_restarts_total Worker replacements by cause.\n# TYPE csv_analyzer_worker_restarts_total counter\n"
        for (cause, count) in restarts.sorted(by: { $0.key < $1.key }) {
            out += "csv_analyzer_worker_restarts_total{cause=\"\(cause)\"} \(count)\n"
        }
        let active = Set(faults.active().map(\.type))
        out += "# HELP csv_analyzer_fault_active 1 while a fault of this type is injected through the admin API.\n# TYPE csv_analyzer_fault_active gauge\n"
        for type in FaultType.allCases { out += "csv_analyzer_fault_active{fault=\"\(type.rawValue)\"} \(active.contains(type) ? 1 : 0)\n" }
        var retained: [String: [String: Int64]] = [:]
        for memory in await memoryReports() { retained[String(memory.worker)] = memory.components }
        out += ServiceMetrics.retainedMetrics(retained)
        return out
    }

    /// Memory attribution of every serving worker.
    func memoryReports() async -> [WorkerMemory] {
        let serving = workers.values.filter { $0.state == .ready }
        var reports: [WorkerMemory] = []
        await withTaskGroup(of: WorkerMemory?.self) { group in
            for worker in serving {
                group.addTask {
                    guard let reply = try? await UnixHTTP.send(socket: worker.socket, path: "/internal/memory", timeout: .seconds(3)) else { return nil }
                    return try? JSONDecoder().decode(WorkerMemory.self, from: Data(buffer: reply.body))
                }
            }
            for await report in group { if let report { reports.append(report) } }
        }
        return reports.sorted { $0.worker < $1.worker }
    }

    /// The pool, for `GET /admin/workers`.
    func report() -> WorkersReport {
        WorkersReport(
            busy: busy || pending > 0, desired: desired, alive: workers.values.filter { $0.state == .ready }.count,
            featuresImpl: implementation.rawValue, maxRequests: maxRequests, restarts: restarts,
            workers: workers.values.sorted { ($0.slot, $0.generation) < ($1.slot, $1.generation) }.map {
                .init(slot: $0.slot, pid: $0.pid, state: $0.state.rawValue, generation: $0.generation, startedAt: $0.startedAt, residentBytes: $0.residentBytes)
            })
    }
}
