import ArgumentParser
import DrillKit
import Foundation
import FiredrillSupport

/// `firedrill coverage`: which faults hurt users without paging anyone.
struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Map which faults breach the SLO and which alerts page for them; exit 99 on a silent fault.",
        discussion: """
            Starts a local stack (csv-analyzer with 2 workers, Prometheus with the alerting rules time-compressed by \
            --time-scale, Alertmanager) and a steady open-model load (--scenario at --rate), then, per fault, injects \
            it at increasing intensities on the prediction route and finds the mildest that breaches the SLO \
            (failures or 5xx above 1 %, p95 above 500 ms) and the mildest that pages (an alert of a paging severity \
            fires; Watchdog and FaultInjectionActive never count). A fault whose mildest breaching intensity pages \
            nobody is silent. Binary search per fault, the strongest intensity first; --budget bounds the whole run.

            Service faults (csv-analyzer's admin API): errors, latency, cpu_burn, worker_crash, model_degrade, \
            feature_leak (on request only: its memory outlives the fault). Link faults (toxics of the fault proxy, \
            an HTTP proxy the load then goes through, in front of the service; the service never sees them, so \
            their SLO is also read on the clients' side): link_latency, link_errors (http_status 503 on the \
            prediction route), link_reset (reset_peer). Groups: service, proxy, all (the default: every fault \
            but feature_leak). Exit codes: 0 no silent fault, 99 a silent fault, 64 bad flags, 69 the stack \
            could not start.
            """)

    @Option(help: ArgumentHelp("Faults or groups (service, proxy, all) to sweep, comma-separated (default: all, i.e. every fault but feature_leak).",
                               valueName: "names"))
    var faults: String?

    @Option(help: ArgumentHelp("Wall-clock seconds per incident second for the rules' windows and for: durations.", valueName: "factor"))
    var timeScale = "1/60"

    @Option(help: ArgumentHelp("Whole run at most this long (wall clock), e.g. 5m; probes that would not fit are skipped.", valueName: "duration"))
    var budget = "10m"

    @Option(help: ArgumentHelp("Longest probe (wall clock); a probe ends earlier once an alert pages.", valueName: "duration"))
    var probe = "12s"

    @Option(help: ArgumentHelp("Iterations per second of the load.", valueName: "rate"))
    var rate = 40.0

    @Option(help: ArgumentHelp("The load scenario (its requests; its load shape is replaced).", valueName: "file"))
    var scenario = "scenarios/ci-gate.yaml"

    @Option(help: ArgumentHelp("Severities that page, comma-separated.", valueName: "list"))
    var pageSeverities = "critical,major,medium"

    @Option(help: ArgumentHelp("Write the heat map here.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write the map as JSON here (per fault: where it acts, mildest breach, mildest page, every probe).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Where the stack's logs go (default: a temporary directory).", valueName: "dir"))
    var workDir: String?

    @OptionGroup var local: LocalStackOptions

    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        if let faults { _ = try Self.faultList(faults) }
        guard TimeScale.parse(timeScale) != nil else { throw ValidationError("--time-scale must be a number in (0, 1] such as 1/60, got '\(timeScale)'") }
        guard let b = PromDuration(budget), b.milliseconds > 0 else { throw ValidationError("--budget '\(budget)' is not a duration such as 5m") }
        guard let p = PromDuration(probe), p.milliseconds >= 3000 else { throw ValidationError("--probe '\(probe)' must be a duration of at least 3s") }
        guard rate > 0, rate <= 2000 else { throw ValidationError("--rate must be in (0, 2000], got \(rate)") }
    }

    static func faultList(_ text: String) throws -> [CoverageFault] {
        do {
            return try CoverageFault.named(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        } catch let error as ControlError {
            throw ValidationError("--faults: \(error.message)")
        }
    }

    mutating func run() async throws {
        let logger = console.logger(label: "firedrill.coverage")
        let root = DrillCommand.repositoryRoot(near: scenario)
        let work = URL(fileURLWithPath: workDir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("firedrill-coverage-\(UUID().uuidString)").path)
        let stack: LocalStack
        do {
            stack = try await local.launch(root: root, work: work, scale: TimeScale.parse(timeScale)!, logger: logger)
            _ = try await stack.startService(options: ["workers": "2", "memory_limit": "512MiB", "leak_scale": "3000"])
        } catch {
            Console.error("error: the coverage stack could not start: \(error)")
            throw ExitCodes.runError
        }
        let watcher = SignalWatcher { _ in Task { await stack.stop(); Foundation.exit(ExitCodes.interrupted.rawValue) } }
        defer { watcher.cancel() }
        var options = CoverageRunner.Options(scenario: URL(fileURLWithPath: scenario, relativeTo: root))
        options.rate = rate
        options.probeSeconds = Double(PromDuration(probe)!.milliseconds) / 1000
        options.budgetSeconds = Double(PromDuration(budget)!.milliseconds) / 1000
        options.pageSeverities = Set(pageSeverities.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        options.logger = logger
        options.onProbe = { Console.line("probe   \($0)") }
        options.onNote = { Console.line("        \($0)") }
        let chosen = try faults.map(Self.faultList) ?? CoverageFault.defaults
        Console.line("coverage of \(chosen.map(\.name).joined(separator: ", ")) · rules \(local.rules ?? "alerts.yml") · time scale \(timeScale) · service \(stack.serviceURL)")
        let results: [CoverageSearch.Result]
        do {
            results = try await CoverageRunner(stack: stack, options: options).run(chosen)
        } catch {
            await stack.stop()
            Console.error("error: \(error) (stack logs in \(work.path)/logs)")
            throw ExitCodes.runError
        }
        await stack.stop()
        Console.line("")
        Console.line(CoverageReport.table(results))
        let outputs: [(String?, String, () throws -> Data)] = [(html, "heat map", { Data(CoverageReport.html(results).utf8) }),
                                                               (json, "JSON", { try CoverageReport.json(results) })]
        for (path, name, content) in outputs {
            guard let path else { continue }
            do {
                try content().write(to: URL(fileURLWithPath: path), options: .atomic)
                Console.line("\(name): \(path)")
            } catch {
                Console.error("error: cannot write \(path): \(error.localizedDescription)")
                throw ExitCodes.runError
            }
        }
        if CoverageReport.hasSilent(results) {
            Console.line("silent fault: \(results.filter(\.silent).map(\.fault).joined(separator: ", ")) breaches the SLO without paging anyone")
            throw ExitCodes.thresholdFailed
        }
    }
}
