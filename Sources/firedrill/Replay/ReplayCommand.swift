import ArgumentParser
import Foundation
import LoadKit

/// `firedrill replay`: recorded traffic sent again at its recorded arrival times.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded traffic (access logs, JSON lines, HAR) at its real arrival times.",
        discussion: """
            Each request is sent at its recorded offset from the first one (open model): latency counts from \
            that scheduled time, so a slow target cannot slow the replay down. The summary shows offered vs \
            achieved requests and the schedule lag (how late requests started, p99). Lines that cannot be read \
            are counted and the first 5 shown with their line numbers.
            Examples:
              firedrill replay access.log --host http://127.0.0.1:8000 --speed 10 --window 01:40..02:00
              firedrill replay app.jsonl --field time=ts --field url=req.path --host http://127.0.0.1:8000
              firedrill replay session.har --host http://127.0.0.1:8000 --scrub --rewrite '/users/[0-9]+=/users/1'
              firedrill replay access.log --to-scenario peak.yaml && firedrill load peak.yaml
            Exit codes: 0 done (all thresholds passed), 99 a threshold failed, 65 no request could be read from \
            the log (or the window is empty), 69 run error (target unreachable, output not writable), 64 bad \
            command line.
            """)

    @Argument(help: "The traffic log: nginx/Apache combined, gunicorn access log, JSON lines or HAR 1.2.")
    var log: String

    @Option(help: "Base URL to send the requests to, e.g. http://127.0.0.1:8000 (required unless --to-scenario).")
    var host: String?

    @OptionGroup var source: ReplaySourceOptions

    @Option(help: ArgumentHelp("""
        Write an editable scenario instead of replaying: the route mix as weighted tasks, the rate curve as \
        ramping_arrival_rate stages (run it with `firedrill load FILE`).
        """, valueName: "file"))
    var toScenario: String?

    @Option(name: [.customShort("t"), .customLong("run-time")], help: "Stop after this long, e.g. 5m (with --loop: required to end by itself).")
    var runTime: String?

    @Option(help: "Most requests in flight at once; a request due when all are busy is dropped and counted (default: 2 × the busiest second, at least 10).")
    var maxUsers: Int?

    @Option(help: "Time in-flight requests may take to finish after the last one was sent (default 10s).")
    var stopTimeout: String?

    @OptionGroup var target: TargetOptions

    @OptionGroup var engine: EngineOptions<ReplayCommand.Help>

    @OptionGroup var reports: ReportOptions

    @OptionGroup var metrics: MetricsOptions

    @OptionGroup var console: ConsoleOptions

    mutating func run() async throws {
        reports.applyEnvironment()
        metrics.applyEnvironment()
        try metrics.checkPort()
        let settings: ReplaySettings
        let format: LogFormat?
        let fields: JSONLinesFields
        var overrides = PlanOverrides()
        do {
            settings = try source.settings(maxUsers: maxUsers)
            format = try source.logFormatKind()
            fields = try source.jsonFields()
            if let maxUsers, maxUsers < 1 { throw ReplayError("--max-users must be at least 1") }
            overrides.runTime = try runTime.map { try PlanOverrideOptions.duration($0, flag: "--run-time") }
            overrides.stopTimeout = try stopTimeout.map { try PlanOverrideOptions.duration($0, flag: "--stop-timeout") }
            try target.apply(to: &overrides)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.usage
        }
        guard host != nil || toScenario != nil else {
            Console.error("error: give --host URL (where to send the requests) or --to-scenario FILE")
            throw ExitCodes.usage
        }
        let traffic: TrafficLog
        let replay: ReplayPlan
        let target = host ?? "http://127.0.0.1:8000"
        do {
            traffic = try TrafficLogReader.read(
                path: log, format: format, logFormat: source.logFormat, fields: fields, origin: source.origin)
            replay = try ReplayPlan(log: traffic, host: target, settings: settings)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        if maxUsers == nil, case .replay(_, _, let planned) = replay.plan.load {
            // The default (twice the busiest second) never asks for more users than this machine holds.
            let capacity = UserCapacity.current()
            let fit = min(capacity.descriptorUsers, capacity.availableMemory.map { $0 / UserCapacity.bytesPerUser } ?? .max)
            if planned > fit {
                Console.error("note: at most \(fit) requests in flight on this machine (the busiest second would want \(planned))")
                overrides.maxUsers = max(1, fit)
            }
        }
        let info = ReplayInfo(path: log, log: traffic, replay: replay, speed: settings.speed, window: source.window, loop: settings.loop)
        Console.write(info.text)
        if let toScenario {
            try writeScenario(replay, host: target, to: toScenario)
            return
        }
        try await send(replay.plan, overrides: overrides, info: info)
    }

    /// `--threads` and `--no-preflight` as `replay` words them.
    enum Help: EngineHelp {
        static let threads = "Event-loop threads (default 1, which keeps the recorded order exactly)."
        static let preflight = "Skip the reachability check before the replay."
    }

    private func writeScenario(_ replay: ReplayPlan, host: String, to path: String) throws {
        let yaml = ScenarioWriter.yaml(replay, host: host, source: log)
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            Console.error("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCodes.runError
        }
        Console.line("wrote \(path): run it with `firedrill load \(path)`")
    }

    private func send(_ replayPlan: LoadPlan, overrides: PlanOverrides, info: ReplayInfo) async throws {
        let plan: LoadPlan
        do {
            plan = try overrides.apply(to: replayPlan)
            try UserCapacity.current().check(users: UserCapacity.peakUsers(of: plan.load))
        } catch {
            Console.error("error: \(maxUsers != nil ? "--max-users: " : "")\(error)")
            throw maxUsers != nil ? ExitCodes.usage : ExitCodes.invalidScenario
        }
        let outputs = try reports.prepared(for: plan, replay: info)
        let run = try engine.run(plan, logger: console.logger(label: "firedrill.replay"), outputs: outputs)
        try await RunDriver.drive(
            run, plan: plan, outputs: outputs, metrics: metrics, onlySummary: console.onlySummary, epilogue: info.text)
    }
}
