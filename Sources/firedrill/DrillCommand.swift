import FiredrillSupport
import ArgumentParser
import DrillKit
import Foundation
import Logging
import Synchronization

/// `firedrill drill`: runs a runbook's drill block and reports whether every expectation held.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run a runbook's drill: inject, load, expect alerts, remediate, verify, report.",
        discussion: """
            Runs the ```drill block of a Markdown runbook (schema: runbooks/README.md). With --stack local \
            (the default) it starts csv-analyzer, Prometheus and Alertmanager on 127.0.0.1 with free ports, \
            alerting rules time-compressed from the repository's alerts.yml by --time-scale, and hosts the \
            webhook Alertmanager notifies; everything is stopped afterwards, also on failure or Ctrl-C. \
            Without Prometheus/Alertmanager installed the drill still runs; alert checks are then marked \
            skipped (never passed). With --stack attach it drives running services given by URL, at the \
            drill's real durations unless --time-scale says otherwise.

            Writes journal.json, junit.xml and report.html to --report-dir.
            Exit codes: 0 every expectation held (skipped checks are listed), 1 an expectation did not \
            hold or a step failed, 65 invalid runbook, 69 the stack could not start, 130 interrupted, \
            64 bad command line.
            """)

    enum StackKind: String, ExpressibleByArgument, CaseIterable {
        case local, attach
    }

    @Argument(help: "The runbook (Markdown with one ```drill block), e.g. runbooks/memory-leak.md.")
    var runbook: String

    @Option(help: "local: start everything on 127.0.0.1; attach: use running services (--host, --prometheus-url, --alertmanager-url).")
    var stack: StackKind = .local

    @Option(help: ArgumentHelp("Wall-clock seconds per incident second, e.g. 1/30 (overrides the drill's time_scale).", valueName: "factor"))
    var timeScale: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Override a drill variable (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Where journal.json, junit.xml, report.html and the local stack's logs go (default reports/drills/NAME-TIME).", valueName: "dir"))
    var reportDir: String?

    @Option(help: ArgumentHelp("local: the csv-analyzer executable (default: next to firedrill, else on PATH).", valueName: "path"))
    var analyzerBin: String?

    @Option(help: ArgumentHelp("local: the prometheus executable (default: on PATH).", valueName: "path"))
    var prometheusBin: String?

    @Option(help: ArgumentHelp("local: the Alertmanager executable (default: alertmanager or prometheus-alertmanager on PATH).", valueName: "path"))
    var alertmanagerBin: String?

    @Option(help: ArgumentHelp("local: alerting rules to load instead of the repository's alerts.yml (time-scaled the same way).", valueName: "file"))
    var rules: String?

    @Flag(help: "local: do not start Prometheus and Alertmanager (alert checks are skipped).")
    var noMonitoring = false

    @Option(help: ArgumentHelp("attach: the service's base URL, e.g. http://127.0.0.1:8000.", valueName: "url"))
    var host: String?

    @Option(help: ArgumentHelp("attach: Prometheus' base URL, e.g. http://127.0.0.1:9090.", valueName: "url"))
    var prometheusURL: String?

    @Option(help: ArgumentHelp("attach: Alertmanager's base URL, e.g. http://127.0.0.1:9093.", valueName: "url"))
    var alertmanagerURL: String?

    @Option(help: ArgumentHelp("attach: the fault proxy's API for proxy steps (firedrill proxy or Toxiproxy), e.g. http://127.0.0.1:8474; "
                               + "the local stack runs one in process.", valueName: "url"))
    var proxyAPI: String?

    @Option(help: ArgumentHelp("attach: host the drill webhook on this port (alertmanager.yml's drill receiver uses 9099).", valueName: "port"))
    var webhookPort: Int?

    @Option(help: ArgumentHelp("attach: the address the webhook binds (0.0.0.0 when Alertmanager runs in a container).", valueName: "host"))
    var webhookHost = "127.0.0.1"

    @Option(help: ArgumentHelp("attach: the service's admin token [CSV_ANALYZER_ADMIN_TOKEN].", valueName: "token"))
    var adminToken: String?

    @Flag(help: "Print only the final summary, no live lines.")
    var onlySummary = false

    @Option(name: [.customShort("L"), .customLong("loglevel")], help: "Log level on stderr: debug, info, warning, error (default warning).")
    var logLevel = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--loglevel must be one of trace, debug, info, notice, warning, error, critical")
        }
        if stack == .attach, host == nil {
            throw ValidationError("--stack attach needs --host URL (the service), and usually --prometheus-url and --alertmanager-url")
        }
        if let webhookPort, !(0...65535).contains(webhookPort) { throw ValidationError("--webhook-port must be between 0 and 65535") }
        if let timeScale, TimeScale.parse(timeScale) == nil {
            throw ValidationError("--time-scale must be a number in (0, 1] such as 1/30 or 0.5, got '\(timeScale)'")
        }
        for variable in variables where !variable.contains("=") {
            throw ValidationError("--var '\(variable)' must look like name=value")
        }
    }

    mutating func run() async throws {
        var logger = Logger(label: "firedrill.drill") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel.lowercased()) ?? .warning

        // The runbook first: a bad one costs nothing.
        let overrides = Dictionary(variables.map { v -> (String, String) in
            let eq = v.firstIndex(of: "=")!
            return (String(v[..<eq]), String(v[v.index(after: eq)...]))
        }, uniquingKeysWith: { _, last in last })
        let drill: Drill
        do {
            guard let data = FileManager.default.contents(atPath: runbook) else {
                throw DrillError(file: runbook, line: 0, message: "cannot read the runbook (no such readable file)")
            }
            drill = try Runbook.parse(markdown: String(decoding: data, as: UTF8.self), file: runbook, variables: overrides,
                                      timeScale: timeScale.flatMap(TimeScale.parse) ?? (stack == .attach ? 1 : nil)).drill
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        let root = Self.repositoryRoot(near: runbook)
        let reportURL = URL(fileURLWithPath: reportDir ?? Self.defaultReportDir(runbook: runbook, root: root))

        // Ctrl-C: the first asks the drill to stop (rollbacks run, the stack stops); the second stops the stack now.
        let control = DrillControl()
        let watcher = SignalWatcher { _ in
            if control.signalled() == 1 {
                Console.error("\ninterrupted: running the rollbacks and stopping the stack (Ctrl-C again to stop at once)…")
            } else {
                Console.error("\nstopping the stack now…")
                Task {
                    await control.stack?.stop()
                    Foundation.exit(ExitCodes.interrupted.rawValue)
                }
            }
        }
        defer { watcher.cancel() }

        Console.line("drill   \(drill.title)")
        Console.line("runbook \(runbook) · stack \(stack.rawValue) · time scale \(DrillSummary.timeScale(drill.timeScale))")
        let theStack: any DrillStack
        do {
            theStack = try await makeStack(root: root, work: reportURL.appendingPathComponent("stack"), scale: drill.timeScale, logger: logger)
        } catch {
            Console.error("error: the \(stack.rawValue) stack could not start: \(error)")
            throw ExitCodes.runError
        }
        control.stack = theStack
        if let gap = theStack.monitoringGap { Console.line("note    \(gap)") }
        Console.line("service \(theStack.serviceURL)" + (theStack.prometheus.map { " · prometheus \($0.baseURL)" } ?? "")
            + (theStack.alertmanager.map { " · alertmanager \($0.baseURL)" } ?? ""))
        if control.signals > 0 {
            await theStack.stop()
            throw ExitCodes.interrupted
        }

        let live = LiveConsole(enabled: !onlySummary)
        let runner = DrillRunner(drill: drill, stack: theStack, options: .init(
            runbookPath: runbook, baseDirectory: root, logger: logger,
            onProgress: { live.progress($0) }, onStep: { title, result in live.step(title, result) }))
        control.runner = runner
        let journal = await runner.run()
        await theStack.stop()

        let files: DrillReport.Files
        do {
            files = try DrillReport.write(journal, to: reportURL)
        } catch {
            Console.line(DrillSummary.render(journal, reportDirectory: nil))
            Console.error("error: cannot write the report: \(error)")
            throw ExitCodes.runError
        }
        Console.line(DrillSummary.render(journal, reportDirectory: reportURL.path))
        _ = files
        if journal.status == .interrupted { throw ExitCodes.interrupted }
        if !journal.passed { throw ExitCodes.drillFailed }
    }

    func makeStack(root: URL, work: URL, scale: Double, logger: Logger) async throws -> any DrillStack {
        switch stack {
        case .attach:
            let token = adminToken ?? ProcessInfo.processInfo.environment["CSV_ANALYZER_ADMIN_TOKEN"] ?? ""
            return try await AttachedStack(serviceURL: host ?? "", prometheusURL: prometheusURL, alertmanagerURL: alertmanagerURL,
                                           adminToken: token, webhookPort: webhookPort, webhookHost: webhookHost,
                                           proxyAPI: proxyAPI, workDirectory: work)
        case .local:
            guard let analyzer = analyzerBin ?? Self.findExecutable("csv-analyzer") else {
                throw ValidationError("csv-analyzer not found next to firedrill or on PATH: build it (swift build) or pass --analyzer-bin")
            }
            let options = LocalStack.Options(
                repositoryRoot: root, workDirectory: work, csvAnalyzer: URL(fileURLWithPath: analyzer), timeScale: scale,
                rulesFile: rules.map { URL(fileURLWithPath: $0) }, prometheusBinary: prometheusBin.map { URL(fileURLWithPath: $0) },
                alertmanagerBinary: alertmanagerBin.map { URL(fileURLWithPath: $0) }, monitoring: !noMonitoring, logger: logger)
            return try await LocalStack.launch(options)
        }
    }

    /// `name` next to this executable (a SwiftPM build puts both products there), else on PATH.
    static func findExecutable(_ name: String) -> String? {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let path = ProcessInfo.processInfo.environment["PATH"].map { here + ":" + $0 } ?? here
        return MonitoringBinaries.find([name], path: path)?.path
    }

    /// The nearest directory holding alerts.yml, from the runbook's directory up, else the current directory.
    static func repositoryRoot(near runbook: String) -> URL {
        var dir = URL(fileURLWithPath: runbook).standardizedFileURL.deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("alerts.yml").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    static func defaultReportDir(runbook: String, root: URL) -> String {
        let stem = URL(fileURLWithPath: runbook).deletingPathExtension().lastPathComponent
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "reports/drills/\(stem)-\(formatter.string(from: Date()))"
    }
}

/// What the signal handler needs: how many signals arrived, the runner to interrupt, the stack to stop.
final class DrillControl: @unchecked Sendable {
    private let lock = NSLock()
    private var _signals = 0
    private var _runner: DrillRunner?
    private var _stack: (any DrillStack)?

    var signals: Int { lock.withLock { _signals } }
    var runner: DrillRunner? {
        get { lock.withLock { _runner } }
        set { lock.withLock { _runner = newValue } }
    }
    var stack: (any DrillStack)? {
        get { lock.withLock { _stack } }
        set { lock.withLock { _stack = newValue } }
    }

    /// Counts a signal, interrupts the runner, and returns how many signals arrived so far.
    func signalled() -> Int {
        let (count, runner) = lock.withLock { () -> (Int, DrillRunner?) in
            _signals += 1
            return (_signals, _runner)
        }
        runner?.interrupt()
        return count
    }
}
