import FiredrillSupport
import ArgumentParser
import DrillKit
import Foundation
import Logging
import Synchronization

/// `firedrill drill [run]`: runs a runbook's drill block and reports whether every expectation held.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a runbook's drill: inject, load, expect alerts, remediate, verify, report.",
        discussion: """
            Runs the ```drill block of a Markdown runbook (schema: runbooks/README.md). With --stack local \
            (the default) it starts csv-analyzer, Prometheus and Alertmanager on 127.0.0.1 with free ports, \
            alerting rules time-compressed from the repository's alerts.yml by --time-scale, and hosts the \
            webhook Alertmanager notifies; everything is stopped afterwards, also on failure or Ctrl-C. \
            Without Prometheus/Alertmanager installed the drill still runs; alert checks are then marked \
            skipped (never passed). With --stack attach it drives running services given by URL, at the \
            drill's real durations unless --time-scale says otherwise.

            Writes journal.json, junit.xml and report.html to --report-dir. With --web, a page on \
            http://127.0.0.1:8089/ shows the timeline, the step running, alert states and charts live, then the report.
            Exit codes: 0 every expectation held (skipped checks are listed), 1 an expectation did not \
            hold or a step failed, 65 invalid runbook, 69 the stack could not start, 130 interrupted, \
            64 bad command line.

            A runbook written by `firedrill drill generate` carries its incident's record: the run is then \
            scored against it (fidelity, in the summary, journal.json and report.html).
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

    @OptionGroup var local: LocalStackOptions

    @OptionGroup var attach: AttachOptions

    @OptionGroup var web: WebOptions

    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        if stack == .attach, attach.host == nil {
            throw ValidationError("--stack attach needs --host URL (the service), and usually --prometheus-url and --alertmanager-url")
        }
        if let timeScale, TimeScale.parse(timeScale) == nil {
            throw ValidationError("--time-scale must be a number in (0, 1] such as 1/30 or 0.5, got '\(timeScale)'")
        }
        for variable in variables where !variable.contains("=") {
            throw ValidationError("--var '\(variable)' must look like name=value")
        }
    }

    mutating func run() async throws {
        let logger = console.logger(label: "firedrill.drill")

        // The runbook first: a bad one costs nothing.
        let overrides = Dictionary(variables.map { v -> (String, String) in
            let eq = v.firstIndex(of: "=")!
            return (String(v[..<eq]), String(v[v.index(after: eq)...]))
        }, uniquingKeysWith: { _, last in last })
        let drill: Drill
        let incident: IncidentRecord?
        let markdown: String
        do {
            guard let data = FileManager.default.contents(atPath: runbook) else {
                throw DrillError(file: runbook, line: 0, message: "cannot read the runbook (no such readable file)")
            }
            markdown = String(decoding: data, as: UTF8.self)
            drill = try Runbook.parse(markdown: markdown, file: runbook, variables: overrides,
                                      timeScale: timeScale.flatMap(TimeScale.parse) ?? (stack == .attach ? 1 : nil)).drill
            incident = try IncidentRecord.embedded(in: markdown, file: runbook)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        web.applyEnvironment()
        let page = try await startWeb(for: drill)
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

        let live = LiveConsole(enabled: !console.onlySummary)
        let runner = DrillRunner(drill: drill, stack: theStack, options: .init(
            runbookPath: runbook, baseDirectory: root, markdown: markdown, logger: logger,
            onProgress: { live.progress($0) },
            onStep: { title, result in
                live.step(title, result)
                page?.0.step(title, result)
            }))
        control.runner = runner
        page?.0.attach(runner)
        var journal = await runner.run()
        await theStack.stop()
        if let incident { journal.fidelity = FidelityScore.compute(record: incident, journal: journal) }
        page?.0.finish(journal)

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
        if let page {
            watcher.cancel()
            await serveReport(page.1)
        }
        if journal.status == .interrupted { throw ExitCodes.interrupted }
        if !journal.passed { throw ExitCodes.drillFailed }
    }

    func makeStack(root: URL, work: URL, scale: Double, logger: Logger) async throws -> any DrillStack {
        switch stack {
        case .attach: return try await attach.launch(work: work)
        case .local: return try await local.launch(root: root, work: work, scale: scale, logger: logger)
        }
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
