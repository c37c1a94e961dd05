import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit
import Logging

/// `firedrill load`: a Locust-style load test from a scenario file or a single URL.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run a load test from a scenario file or against one URL.",
        discussion: """
            Exit codes: 0 all thresholds passed, 99 a threshold failed, 65 invalid scenario or threshold (or its \
            users do not fit this machine), 69 run error (target unreachable, setup failed or timed out, output not \
            writable), 64 bad command line (or -u asks for more users than this machine holds).
            Unset flags fall back to FIREDRILL_USERS, _SPAWN_RATE, _RUN_TIME, _HOST, _STOP_TIMEOUT, _CSV, _HTML, \
            _JSON, _JUNIT, _BASELINE, _THREADS, _URL, _THRESHOLDS (';'-separated), _METRICS_PORT, _METRICS_HOST, _METRICS_LINGER, \
            _WEB (1 = --web), _WEB_HOST, _WEB_PORT and _WEB_AUTH.
            """)

    @Argument(help: "Scenario file (YAML). Omit when using --url.")
    var scenario: String?

    @OptionGroup var single: SingleURLOptions

    @OptionGroup var overrides: PlanOverrideOptions

    @Flag(help: "Run without a web UI (the default; overrides --web and FIREDRILL_WEB, as in Locust).")
    var headless = false

    @OptionGroup var web: LoadWebOptions

    @OptionGroup var reports: ReportOptions

    @OptionGroup var baseline: BaselineOptions

    @OptionGroup var engine: EngineOptions<LoadCommand.Help>

    @OptionGroup var metrics: MetricsOptions

    @OptionGroup var segments: SegmentOptions

    @OptionGroup var console: ConsoleOptions

    mutating func run() async throws {
        applyEnvironment()
        try metrics.checkPort()
        let plan: LoadPlan
        do {
            plan = try buildPlan()
        } catch let error as ValidationError {
            Console.error("error: \(error.message)")
            throw ExitCodes.usage
        } catch where error is ScenarioError || error is PlanError || error is ThresholdError {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        try checkCapacity(plan)
        let base: RunRecord?
        do {
            base = try baseline.record()
        } catch {
            Console.error("error: baseline \(error)")
            throw ExitCodes.invalidScenario
        }
        for t in plan.thresholds where t.baseline != nil && base == nil {
            Console.error("warning: threshold '\(t)' needs a baseline (--baseline FILE); without one it fails")
        }
        let outputs = try reports.prepared(for: plan, baseline: base)
        if web.enabled && !headless {
            return try await runWeb(plan: plan, baseline: base, outputs: outputs)
        }
        let run = try engine.run(plan, logger: console.logger(label: "firedrill.load"), outputs: outputs) {
            $0.baseline = base
            $0.coCorrection = reports.coCorrection
        }
        let segments = self.segments
        try await RunDriver.drive(
            run, plan: plan, outputs: outputs, metrics: metrics, onlySummary: console.onlySummary,
            beforeStart: { try await segments.waitForStart() })
    }

    /// Refuses, before anything is sent, more users than this machine holds (descriptors, memory):
    /// exit 64 when a flag asked for them, 65 when the scenario did.
    func checkCapacity(_ plan: LoadPlan) throws {
        do {
            try UserCapacity.current().check(users: UserCapacity.peakUsers(of: plan.load))
        } catch {
            let flag = overrides.users != nil ? "--users" : overrides.maxUsers != nil ? "--max-users"
                : overrides.arrivalRate != nil ? "--arrival-rate" : nil
            Console.error("error: \(flag ?? scenario ?? "--url"): \(error)")
            throw flag == nil ? ExitCodes.invalidScenario : ExitCodes.usage
        }
    }

    /// Builds the plan from the file or --url and applies the command-line overrides. A bad flag value
    /// or a missing or doubled target is a `ValidationError` (exit 64); a bad file
    /// or threshold stays a `ScenarioError`/`ThresholdError` (exit 65).
    func buildPlan() throws -> LoadPlan {
        var plan: LoadPlan
        if let scenario {
            if single.url != nil { throw ValidationError("give either a scenario file or --url, not both") }
            plan = try ScenarioLoader.load(path: scenario)
        } else if let url = single.url {
            do { plan = try single.plan(url: url) } catch let error as PlanError { throw ValidationError(error.message) }
        } else {
            throw ValidationError("give a scenario file or --url URL")
        }
        do {
            plan = try segments.apply(to: overrides.overrides().apply(to: plan))
        } catch let error as PlanError {
            throw ValidationError(error.message)
        }
        if plan.host.isEmpty, let scenario {
            throw PlanError(message: "\(scenario): no 'host' in the file: add 'host: http://…' or give --host URL")
        }
        return plan
    }

    /// `--threads` and `--no-preflight` as `load` words them.
    enum Help: EngineHelp {
        static let threads = "Event-loop threads (use 2 to use both cores)."
        static let preflight = "Skip the reachability check before the run."
    }

    /// Fills unset options from FIREDRILL_* environment variables.
    mutating func applyEnvironment() {
        overrides.applyEnvironment()
        reports.applyEnvironment()
        if engine.threads == nil, let v = FiredrillEnvironment.value("THREADS") { engine.threads = Int(v) }
        if single.url == nil, scenario == nil { single.url = FiredrillEnvironment.value("URL") }
        metrics.applyEnvironment()
        web.applyEnvironment()
    }
}
