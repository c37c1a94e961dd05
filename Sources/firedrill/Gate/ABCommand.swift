import ArgumentParser
import FiredrillSupport
import Foundation
import GateKit
import LoadKit

/// `firedrill ab`: A/B rounds of one scenario against two targets on this machine.
struct ABCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "Measure two targets in alternating rounds (ABBA…) and gate on B being worse than A.",
        discussion: """
            The honest gate on a shared CI machine: both targets run on the same machine in alternating short \
            rounds (A B B A A B B A …), so machine noise hits both. Each A round is paired with its neighbouring \
            B round and their per-second statistics are paired by position; the paired differences are judged \
            with the Wilcoxon signed-rank interval (same verdict rules as `firedrill compare`).
            Targets are URLs (--a, --b); with --a-command/--b-command firedrill starts each service itself \
            (`/bin/sh -c`, its own process group, stopped at the end) and waits until URL + --ready-path answers 2xx.
            Example: firedrill ab --path /healthz --a http://127.0.0.1:8101 --a-command 'csv-analyzer serve --port 8101' \
            --b http://127.0.0.1:8102 --b-command './pr/csv-analyzer serve --port 8102' --rounds 8 --round-time 5s
            Exit codes: 0 no regression, 99 B is worse (or inconclusive with --fail-on-inconclusive), \
            65 invalid scenario or flags, 69 a service did not start or a round failed, 130 interrupted, \
            64 bad command line.
            """)

    @Argument(help: "Scenario file (YAML); its host is replaced by each target. Omit to GET --path.")
    var scenario: String?

    @Option(help: ArgumentHelp("Without a scenario: the path each user GETs in a loop.", valueName: "path"))
    var path = "/healthz"

    @Option(name: .customLong("a"), help: ArgumentHelp("Base URL of target A (the base, e.g. main).", valueName: "url"))
    var aURL: String

    @Option(name: .customLong("b"), help: ArgumentHelp("Base URL of target B (the change).", valueName: "url"))
    var bURL: String

    @Option(name: .customLong("a-command"), help: ArgumentHelp("Shell command that starts A's service.", valueName: "command"))
    var aCommand: String?

    @Option(name: .customLong("b-command"), help: ArgumentHelp("Shell command that starts B's service.", valueName: "command"))
    var bCommand: String?

    @Option(help: "Path polled on each target until it answers 2xx before the rounds start.")
    var readyPath = "/healthz"

    @Option(help: "Rounds in all, even (A B B A …). Default 6.")
    var rounds = 6

    @Option(help: ArgumentHelp("Length of each round, e.g. 10s. Default 10s.", valueName: "duration"))
    var roundTime = "10s"

    @Option(name: [.customShort("u"), .customLong("users")], help: "Users per round (default: the scenario's; 4 with --path).")
    var users: Int?

    @Option(name: [.customShort("r"), .customLong("spawn-rate")], help: "Users started per second (default: all at once).")
    var spawnRate: Double?

    @Option(help: "Open model: iterations per second instead of users.")
    var arrivalRate: Double?

    @Option(help: "Event-loop threads per round.")
    var threads = 1

    @Option(help: ArgumentHelp("Folder for the services' logs and, with --keep-rounds, each round's JSON (default: a temporary folder).", valueName: "dir"))
    var workDir: String?

    @Flag(help: "Write each round's summary (round-NN-A.json …) into --work-dir.")
    var keepRounds = false

    @OptionGroup var gate: GateOptions

    /// Bad flag values are usage errors (exit 64) before any service starts.
    func validate() throws {
        guard rounds >= 2, rounds % 2 == 0 else { throw ValidationError("--rounds must be even and at least 2 (got \(rounds))") }
        guard let seconds = DurationText.seconds(roundTime), seconds > 0, seconds <= LoadPlan.longestDuration else {
            throw ValidationError("--round-time '\(roundTime)' is not a duration from above 0 to 1y (e.g. 10s)")
        }
        let most = EngineOptions<LoadCommand.Help>.maxThreads
        guard (1...most).contains(threads) else { throw ValidationError("--threads must be between 1 and \(most), got \(threads)") }
    }

    mutating func run() async throws {
        let settings = try gate.settings()
        let seconds = DurationText.seconds(roundTime) ?? 0
        let plan: LoadPlan
        do {
            plan = try buildPlan(seconds: seconds)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        let dir = URL(fileURLWithPath: workDir ?? NSTemporaryDirectory() + "firedrill-ab-\(getpid())")
        let runner = ABRunner(
            plan: plan, a: ABTarget(label: "A", url: aURL, command: aCommand, readyPath: readyPath),
            b: ABTarget(label: "B", url: bURL, command: bCommand, readyPath: readyPath), rounds: rounds,
            roundTime: seconds, threads: threads, workDir: dir, keepRounds: keepRounds)
        // Ctrl-C/SIGTERM: stop after the current round; the services are stopped either way.
        let task = Task { try await runner.run(settings: settings) { Console.error($0) } }
        let watcher = SignalWatcher { _ in
            Console.error("\nstopping after this round (the services are stopped)…")
            task.cancel()
        }
        defer { watcher.cancel() }
        let report: ComparisonReport
        do {
            report = try await task.value
        } catch is CancellationError {
            throw ExitCodes.interrupted
        } catch let error as GateError {
            Console.error("error: \(error)")
            throw ExitCodes.badInput
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        try GateOutput.finish(report, options: gate)
    }

    /// The scenario (or a GET of --path) with the load flags applied; the host is set per round.
    func buildPlan(seconds: Double) throws -> LoadPlan {
        var overrides = PlanOverrides()
        overrides.runTime = seconds
        overrides.arrivalRate = arrivalRate
        if let scenario {
            overrides.users = users
            overrides.spawnRate = spawnRate
            return try overrides.apply(to: try ScenarioLoader.load(path: scenario))
        }
        let n = users ?? 4
        overrides.users = n
        overrides.spawnRate = spawnRate ?? Double(max(n, 1))
        return try overrides.apply(to: try LoadPlan.single(url: aURL + path, load: .closed(users: n, spawnRate: 1, runTime: nil)))
    }
}
