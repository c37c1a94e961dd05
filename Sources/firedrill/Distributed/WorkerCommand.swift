import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit
import WorkerKit

/// `firedrill worker`: a Locust worker under an unchanged `locust --master`.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a scenario's users as a worker of a Locust master (Locust 2.x's distributed protocol).",
        discussion: """
            The master (`locust --master`, its web UI or --headless -u/-r/-t) decides how many users run and when; \
            this process runs them with firedrill's engine and reports Locust's statistics every 3 s. Locust user \
            classes whose names are the scenario's classes get those counts; otherwise the total is shared among the \
            scenario's classes by weight. The master's --host replaces the scenario's host when it sets one.
            Exit codes: 0 the master said quit (or SIGINT/SIGTERM), 65 invalid scenario, 69 no master within \
            --master-timeout or an incompatible master, 64 bad command line.
            Unset flags fall back to LOCUST_MASTER_NODE_HOST, LOCUST_MASTER_NODE_PORT (Locust's names), \
            FIREDRILL_MASTER_TIMEOUT, FIREDRILL_HOST, FIREDRILL_THREADS and FIREDRILL_JSON, _CSV, _HTML, _JUNIT.
            """)

    @Argument(help: "Scenario file (YAML) whose user classes the master's users run.")
    var scenario: String

    @Option(help: "The Locust master's host.")
    var masterHost: String?

    @Option(help: "The Locust master's port (its --master-bind-port).")
    var masterPort: Int?

    @Option(help: "Give up (exit 69) when no master has answered for this long, e.g. 30s (default 300s, as Locust).")
    var masterTimeout: String?

    @Option(help: "Base URL of the target when the master sets none (overrides the file).")
    var host: String?

    @Flag(help: "Keep the scenario's (or --host's) target even when the master sets --host.")
    var ignoreMasterHost = false

    @Option(help: "Event-loop threads (use 2 to use both cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(TransportHelp.text, valueName: "auto|sockets|nio"))
    var transport: Transport = .auto

    @OptionGroup var reports: ReportOptions

    @OptionGroup var console: ConsoleOptions

    mutating func run() async throws {
        masterHost = masterHost ?? FiredrillEnvironment.variable("LOCUST_MASTER_NODE_HOST") ?? "127.0.0.1"
        if masterPort == nil, let p = FiredrillEnvironment.variable("LOCUST_MASTER_NODE_PORT") { masterPort = Int(p) }
        masterTimeout = masterTimeout ?? FiredrillEnvironment.value("MASTER_TIMEOUT")
        host = host ?? FiredrillEnvironment.value("HOST")
        if threads == nil, let v = FiredrillEnvironment.value("THREADS") { threads = Int(v) }
        reports.applyEnvironment()
        guard let timeout = DurationText.seconds(masterTimeout ?? "300s"), timeout > 0, timeout <= LoadPlan.longestDuration else {
            throw ValidationError("--master-timeout '\(masterTimeout ?? "")' is not a duration such as 30s or 5m (up to 1y)")
        }
        let port = masterPort ?? 5557
        guard (1...65535).contains(port) else { throw ValidationError("--master-port must be 1–65535") }
        let plan: LoadPlan
        do {
            var overrides = PlanOverrides()
            overrides.host = host
            plan = try overrides.apply(to: ScenarioLoader.load(path: scenario))
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        let outputs = try reports.prepared(for: plan)
        var settings = LocustWorkerSettings(
            masterHost: masterHost!, masterPort: port, masterTimeout: timeout,
            clientID: Self.clientID(), logger: console.logger(label: "firedrill.worker"))
        settings.threads = threads ?? 1
        settings.transport = transport
        settings.useMasterHost = !ignoreMasterHost
        let worker = LocustWorker(
            plan: plan, settings: settings, onTick: { outputs.tick($0) },
            onRunFinished: { plan, summary in
                do {
                    try outputs.finish(plan: plan, summary: summary)
                } catch {
                    Console.error("error: \(error)")
                }
                Console.write(ConsoleReport.final(summary))
            })
        let watcher = SignalWatcher { _ in
            Console.error("stopping: telling the master and leaving…")
            worker.shutdown()
        }
        defer { watcher.cancel() }
        Console.error("firedrill worker \(settings.clientID) → Locust master \(masterHost!):\(port)")
        do {
            try await worker.run()
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
    }

    /// Locust's form: hostname + "_" + 32 hex digits.
    static func clientID() -> String {
        let hex = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return (ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "firedrill") + "_" + hex
    }
}
