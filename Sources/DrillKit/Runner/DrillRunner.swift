import Foundation
import LoadKit
import Logging
import Synchronization

/// Runs a drill against a stack (Chaos Toolkit's order): the leading `start`/`seed` steps, the
/// steady-state probes, the rest of the method, the probes again, then the rollbacks, which always
/// run. Meanwhile it samples the service's `/metrics`, Prometheus' alerts and the webhook every
/// second, for the timeline and the charts. The result is a `DrillJournal`.
public final class DrillRunner: Sendable {
    /// How to run.
    public struct Options: Sendable {
        /// The runbook's path, for the journal and error messages.
        public var runbookPath: String
        /// Where relative scenario paths and the seed data (`scenarios/data/iris.csv`) are looked up:
        /// the repository root.
        public var baseDirectory: URL
        /// The runbook's Markdown (its diagnosis blocks); nil: `diagnose` steps fail.
        public var markdown: String?
        /// How often the service, Prometheus and the webhook are sampled.
        public var sampleInterval: Duration
        public var logger: Logger
        /// Called about every second with the live state.
        public var onProgress: (@Sendable (DrillProgress) -> Void)?
        /// Called when a step or probe starts (`nil` result) and when it ends.
        public var onStep: (@Sendable (String, DrillJournal.StepResult?) -> Void)?

        public init(runbookPath: String, baseDirectory: URL, markdown: String? = nil, sampleInterval: Duration = .seconds(1),
                    logger: Logger = Logger(label: "firedrill.drill"),
                    onProgress: (@Sendable (DrillProgress) -> Void)? = nil,
                    onStep: (@Sendable (String, DrillJournal.StepResult?) -> Void)? = nil) {
            self.runbookPath = runbookPath
            self.baseDirectory = baseDirectory
            self.markdown = markdown
            self.sampleInterval = sampleInterval
            self.logger = logger
            self.onProgress = onProgress
            self.onStep = onStep
        }
    }

    struct State: @unchecked Sendable {
        var interrupted = false
        var phase = "starting"
        var tracker = AlertTracker()
        var series: [DrillJournal.Point] = []
        var events: [DrillJournal.Event] = []
        var lastScrape: ServiceScrape?
        var load: LoadRun?
        var serviceStarted = false
        /// A `stop_service` step stopped it and no `start` has brought it back yet.
        var serviceStopped = false
        var prometheusError: String?
        var diagnoses: [DrillJournal.DiagnosisCheck] = []
    }

    let drill: Drill
    let stack: any DrillStack
    let options: Options
    let state = Mutex(State())
    /// Values of the runtime variables (`${token}`, `${port.pg}`) set so far.
    let runtime = RuntimeVariables()
    let startedAt = Date()

    /// Prepares a run of `drill` (variables and time scale already applied) on `stack`.
    public init(drill: Drill, stack: any DrillStack, options: Options) {
        self.drill = drill
        self.stack = stack
        self.options = options
    }

    /// Stops the method at the next step boundary or wait; the rollbacks still run. Safe from any thread.
    public func interrupt() {
        state.withLock { $0.interrupted = true }
    }

    var isInterrupted: Bool { state.withLock { $0.interrupted } }

    /// Runs the drill and returns its journal; never throws: failures are recorded.
    public func run() async -> DrillJournal {
        let monitor = Task { await monitorLoop() }
        var steps: [DrillJournal.StepResult] = []
        var status = DrillJournal.Status.completed
        var reason: String?
        var before: [DrillJournal.ProbeResult] = []
        var after: [DrillJournal.ProbeResult] = []
        // Leading `start`/`seed` steps (and proxies created between them) set the stack up; the
        // steady state is checked after them.
        let setup = drill.method.prefix { step in
            switch step.kind {
            case .start, .seed, .process, .proxy(.create): true
            default: false
            }
        }
        func runSteps(_ slice: ArraySlice<Step>) async {
            for step in slice {
                if isInterrupted {
                    status = .interrupted
                    reason = "interrupted before \(location(step.line))"
                    return
                }
                let result = await execute(step)
                steps.append(result)
                if result.outcome == .failed {
                    status = isInterrupted ? .interrupted : .failed
                    reason = "\(location(result.line)): \(result.title): \(result.detail)"
                    return
                }
            }
        }
        await runSteps(setup)
        if status == .completed {
            before = await checkSteadyState(phase: "steady state (before)")
            if let failed = before.first(where: { $0.outcome == .failed }) {
                status = .aborted
                reason = "the steady state did not hold before the method: \(location(failed.line)): \(failed.name): \(failed.detail)"
            }
        }
        if status == .completed { await runSteps(drill.method.dropFirst(setup.count)) }
        if status == .completed, isInterrupted {
            status = .interrupted
            reason = "interrupted"
        }
        var deviated = false
        if status == .completed {
            after = await checkSteadyState(phase: "steady state (after)")
            if let failed = after.first(where: { $0.outcome == .failed }) {
                deviated = true
                reason = "the steady state did not hold after the method: \(location(failed.line)): \(failed.name): \(failed.detail)"
            }
        }

        var rollbacks: [DrillJournal.StepResult] = []
        let serviceStarted = state.withLock { $0.serviceStarted } || stack.kind != "local"
        for step in drill.rollbacks {
            if serviceStarted || !step.needsService {
                rollbacks.append(await execute(step))
            } else {
                let now = Date()
                rollbacks.append(.init(title: title(step), kind: kindName(step.kind), line: step.line, outcome: .skipped,
                                       isExpectation: false, detail: "skipped: the service never started", startedAt: now, endedAt: now))
            }
        }
        await stopLoad()
        monitor.cancel()
        await monitor.value

        let (events, series, diagnoses) = state.withLock { ($0.events + $0.tracker.events, $0.series, $0.diagnoses) }
        let timeline = TimelineAnalysis.derivedEvents(events, series: series)
        return DrillJournal(
            title: drill.title, runbook: options.runbookPath, status: status, deviated: deviated, startedAt: startedAt,
            endedAt: Date(),
            stack: .init(kind: stack.kind, serviceURL: stack.serviceURL, prometheusURL: stack.prometheus?.baseURL,
                         alertmanagerURL: stack.alertmanager?.baseURL, monitoringGap: stack.monitoringGap),
            timeScale: drill.timeScale, variables: drill.variables, steadyStateBefore: before, steadyStateAfter: after,
            steps: steps, rollbacks: rollbacks, timeline: timeline, series: series,
            keyTimes: TimelineAnalysis.keyTimes(timeline), reason: reason, diagnoses: diagnoses)
    }

    /// A step's text with its runtime variables' values.
    func render(_ text: StepText) throws -> String {
        try text.render { try runtime.value(of: $0, stack: stack) }
    }

    /// `FILE:LINE` of a runbook line.
    func location(_ line: Int) -> String { "\(options.runbookPath):\(line)" }

    func setPhase(_ phase: String) {
        state.withLock { $0.phase = phase }
    }

    func record(_ kind: DrillJournal.Event.Kind, _ label: String) {
        state.withLock { $0.events.append(.init(at: Date(), kind: kind, label: label)) }
    }

    /// Sleeps `seconds` in short slices; false when interrupted meanwhile.
    func pause(_ seconds: Double) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if isInterrupted { return false }
            let slice = min(0.2, end.timeIntervalSinceNow)
            if slice > 0 { try? await Task.sleep(for: .milliseconds(Int(slice * 1000))) }
        }
        return !isInterrupted
    }

    /// Stops the drill's load, if one runs, and returns its summary.
    @discardableResult
    func stopLoad() async -> RunSummary? {
        guard let run = state.withLock({ s -> LoadRun? in defer { s.load = nil }; return s.load }) else { return nil }
        run.stop()
        let summary = await run.wait()
        record(.loadStopped, "load stopped")
        return summary
    }

    // MARK: Sampling

    /// Every `sampleInterval`: scrapes the service, polls Prometheus' alerts and the webhook, and
    /// reports progress, until cancelled.
    func monitorLoop() async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            await sample()
            next = next.advanced(by: options.sampleInterval)
            if next < clock.now { next = clock.now }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    func sample() async {
        let now = Date()
        var scrape: ServiceScrape?
        if state.withLock({ $0.serviceStarted }) || stack.kind != "local" {
            let client = ServiceClient(baseURL: stack.serviceURL, token: stack.adminToken, timeout: .seconds(2))
            if let answer = try? await client.send(.GET, "/metrics"), answer.status == 200 {
                scrape = ServiceScrape(text: String(decoding: answer.body, as: UTF8.self), at: now)
            }
        }
        var alerts: [PrometheusAlert]?
        var prometheusError: String?
        if let prometheus = stack.prometheus {
            do { alerts = try await prometheus.alerts() } catch { prometheusError = "\(error)" }
        }
        let notifications = stack.notifications()
        let progress = state.withLock { s -> DrillProgress in
            if let alerts { s.tracker.observe(alerts, at: now) }
            if let notifications { s.tracker.observe(notifications: notifications) }
            s.prometheusError = prometheusError
            let users = s.load?.users ?? 0
            var point = DrillJournal.Point(at: now, users: users, requestsPerSecond: nil, errorRatio: nil, p95Seconds: nil,
                                           memoryBytes: scrape?.memoryBytes, memoryLimitBytes: scrape?.memoryLimitBytes,
                                           firing: s.tracker.firing)
            if let scrape, let previous = s.lastScrape, let interval = scrape.interval(since: previous) {
                point.requestsPerSecond = interval.requestsPerSecond
                point.errorRatio = interval.errorRatio
                point.p95Seconds = interval.p95Seconds
            }
            if let scrape { s.lastScrape = scrape }
            if scrape != nil || users > 0 { s.series.append(point) }
            return DrillProgress(elapsed: now.timeIntervalSince(startedAt), phase: s.phase, users: users,
                                 requestsPerSecond: point.requestsPerSecond, errorRatio: point.errorRatio,
                                 memoryRatio: point.memoryRatio, firing: stack.prometheus == nil ? nil : point.firing)
        }
        options.onProgress?(progress)
    }
}
