import FiredrillSupport
import ArgumentParser
import Foundation
import LoadKit
import Logging

/// `firedrill load`: a Locust-style load test from a scenario file or a single URL.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run a load test from a scenario file or against one URL.",
        discussion: """
            Exit codes: 0 all thresholds passed, 99 a threshold failed, 65 invalid scenario or threshold, \
            69 run error (target unreachable, output not writable), 64 bad command line.
            Unset flags fall back to FIREDRILL_USERS, _SPAWN_RATE, _RUN_TIME, _HOST, _STOP_TIMEOUT, _CSV, _HTML, \
            _JSON, _JUNIT, _THREADS, _URL, _THRESHOLDS (';'-separated), _METRICS_PORT, _METRICS_HOST and _METRICS_LINGER.
            """)

    @Argument(help: "Scenario file (YAML). Omit when using --url.")
    var scenario: String?

    @Option(help: "Load one URL without a scenario file (GET unless --method).")
    var url: String?

    @Option(name: [.customShort("u"), .customLong("users")], help: "Peak number of users (overrides the file).")
    var users: Int?

    @Option(name: [.customShort("r"), .customLong("spawn-rate")], help: "Users started per second (overrides the file).")
    var spawnRate: Double?

    @Option(name: [.customShort("t"), .customLong("run-time")], help: "Stop after this long, e.g. 30s, 5m, 1h30m.")
    var runTime: String?

    @Option(help: "Base URL of the target (overrides the file), e.g. http://127.0.0.1:8000.")
    var host: String?

    @Flag(help: "Run without a web UI (always the case; accepted for Locust compatibility).")
    var headless = false

    @Option(help: "Time in-flight requests may take to finish at the end, e.g. 10s (default 0).")
    var stopTimeout: String?

    @Option(help: ArgumentHelp(
        "Write Locust CSV files PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv, PREFIX_exceptions.csv.",
        valueName: "prefix"))
    var csv: String?

    @Flag(help: "Also write one stats_history row per request name every second.")
    var csvFullHistory = false

    @Option(help: ArgumentHelp("Write a self-contained HTML report.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write the full summary as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write JUnit XML with one test case per threshold.", valueName: "file"))
    var junit: String?

    @Option(name: [.customShort("T"), .customLong("tags")], parsing: .upToNextOption, help: "Run only tasks with these tags.")
    var tags: [String] = []

    @Option(name: [.customShort("E"), .customLong("exclude-tags")], parsing: .upToNextOption, help: "Skip tasks with these tags.")
    var excludeTags: [String] = []

    @Option(name: .customLong("threshold"), help: "A gate such as 'p(95) < 500ms' or 'NAME: rate(failed) < 0.01' (repeatable).")
    var thresholds: [String] = []

    @Option(help: "Event-loop threads (use 2 to use both cores).")
    var threads: Int?

    @Option(help: "Open model: iterations per second instead of users (with --url or to override the file).")
    var arrivalRate: Double?

    @Option(help: "Open model: most users that may be busy at once (default: 10 × rate).")
    var maxUsers: Int?

    @Option(help: "HTTP method for --url.")
    var method = "GET"

    @Option(name: [.customShort("H"), .customLong("header")], help: "Header 'Name: value' for --url (repeatable).")
    var headers: [String] = []

    @Option(help: "Request body for --url (sent as application/json when it parses as JSON).")
    var body: String?

    @Option(help: "Wait between tasks for --url: '1-3' (between), '2' (constant); default none.")
    var wait: String?

    @Option(help: "Response timeout, e.g. 30s (default 60s).")
    var timeout: String?

    @Option(help: "Connect timeout, e.g. 5s (default 10s).")
    var connectTimeout: String?

    @Flag(help: "Do not verify TLS certificates.")
    var insecure = false

    @Flag(help: "Skip the reachability check before the run.")
    var noPreflight = false

    @Flag(name: .customLong("only-summary"), help: "Print only the final summary, no live view.")
    var onlySummary = false

    @Option(help: ArgumentHelp(
        "Serve live Prometheus metrics at http://HOST:PORT/metrics while the run lasts (0 = any free port; "
            + "default off; Prometheus's 'firedrill' job scrapes 9646).",
        valueName: "port"))
    var metricsPort: Int?

    @Option(help: ArgumentHelp(
        "Address for --metrics-port (default 127.0.0.1; 0.0.0.0 to be scraped from another container).",
        valueName: "host"))
    var metricsHost: String?

    @Option(help: ArgumentHelp(
        "Keep serving --metrics-port this long after the run, e.g. 15s, so a scrape sees the final values (Ctrl-C ends it early).",
        valueName: "duration"))
    var metricsLinger: String?

    @Option(name: [.customShort("L"), .customLong("loglevel")],
            help: "Run events on stderr at this level or above: debug, info, warning, error (default warning).")
    var logLevel = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--loglevel must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535")
        }
        if let metricsLinger, DurationParser.seconds(metricsLinger) == nil {
            throw ValidationError("--metrics-linger: '\(metricsLinger)' is not a duration (e.g. 15s, 1m)")
        }
    }

    mutating func run() async throws {
        applyEnvironment()
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port (or FIREDRILL_METRICS_PORT) must be between 0 and 65535")
        }
        let plan: LoadPlan
        do {
            plan = try buildPlan()
        } catch let error as ScenarioError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.invalidScenario
        } catch let error as PlanError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.invalidScenario
        } catch let error as ThresholdError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.invalidScenario
        }
        let outputs = ReportFiles(csvPrefix: csv, csvFullHistory: csvFullHistory, html: html, json: json, junit: junit)
        do {
            try outputs.prepare(plan: plan)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.runError
        }
        let tty = isatty(STDOUT_FILENO) == 1
        var logger = Logger(label: "firedrill.load") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel.lowercased()) ?? .warning
        let options = RunOptions(
            threads: threads ?? 1, preflight: !noPreflight,
            onTick: { snapshot in outputs.tick(snapshot) }, logger: logger)
        let run: LoadRun
        do {
            run = try LoadRun(plan: plan, options: options)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.invalidScenario
        }
        var exporter: MetricsExporter?
        if let metricsPort {
            let metricsHost = self.metricsHost ?? "127.0.0.1"
            do {
                exporter = try await MetricsExporter.start(host: metricsHost, port: metricsPort, run: run)
            } catch {
                FileHandle.standardError.write(Data(
                    "error: --metrics-port: cannot listen on \(metricsHost):\(metricsPort): \(error)\n".utf8))
                throw ExitCodes.runError
            }
            if let exporter { Console.write("metrics on \(exporter.url)\n") }
        }
        // The exporter serves until the run, its --stop-timeout drain and the reports are done,
        // then for --metrics-linger.
        let linger = metricsLinger.flatMap(DurationParser.seconds) ?? 0
        do {
            try await drive(run, plan: plan, outputs: outputs, tty: tty, metricsURL: exporter?.url)
        } catch {
            await Self.stop(exporter, after: linger)
            throw error
        }
        await Self.stop(exporter, after: linger)
    }

    /// Stops the exporter after `seconds` (at once on Ctrl-C/SIGTERM).
    static func stop(_ exporter: MetricsExporter?, after seconds: Double) async {
        guard let exporter else { return }
        if seconds > 0 {
            Console.write("metrics stay on \(exporter.url) for \(seconds.formatted()) s (--metrics-linger; Ctrl-C ends it)\n")
            let wait = Task { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) }
            let watcher = SignalWatcher { _ in wait.cancel() }
            _ = await wait.result
            watcher.cancel()
        }
        await exporter.stop()
    }

    /// Starts the run, shows the live view, waits for the end and writes the reports.
    private func drive(_ run: LoadRun, plan: LoadPlan, outputs: ReportFiles, tty: Bool, metricsURL: String?) async throws {
        let watcher = SignalWatcher { _ in
            FileHandle.standardError.write(Data("\nstopping (Ctrl-C again to stop at once)…\n".utf8))
            run.stop()
        }
        defer { watcher.cancel() }
        do {
            try await run.start()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.runError
        }
        let onlySummary = self.onlySummary
        let live = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 2_000_000_000)
                if Task.isCancelled || onlySummary { break }
                let view = ConsoleReport.live(run.snapshot, tty: tty)
                let footer = metricsURL.map { "metrics on \($0)\n" } ?? ""
                Console.write(tty ? "\u{1B}[H\u{1B}[2J" + view + "\n" + footer : view + "\n")
            }
        }
        let summary = await run.wait()
        live.cancel()
        Console.write("\n" + ConsoleReport.final(summary))
        do {
            try outputs.finish(plan: plan, summary: summary)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCodes.runError
        }
        if !summary.passed { throw ExitCodes.thresholdFailed }
    }

    /// Builds the plan from the file or --url and applies the command-line overrides.
    func buildPlan() throws -> LoadPlan {
        var plan: LoadPlan
        if let scenario {
            if url != nil { throw PlanError(message: "give either a scenario file or --url, not both") }
            plan = try ScenarioLoader.load(path: scenario)
        } else if let url {
            plan = try LoadPlan.single(
                url: url, method: method, headers: try parsedHeaders(), body: parsedBody(), wait: try parsedWait(),
                load: .closed(users: 1, spawnRate: 1, runTime: nil))
        } else {
            throw PlanError(message: "give a scenario file or --url URL")
        }
        var overrides = PlanOverrides()
        overrides.users = users
        overrides.spawnRate = spawnRate
        overrides.runTime = try runTime.map { try Self.duration($0, flag: "--run-time") }
        overrides.host = host
        overrides.stopTimeout = try stopTimeout.map { try Self.duration($0, flag: "--stop-timeout") }
        overrides.arrivalRate = arrivalRate
        overrides.maxUsers = maxUsers
        overrides.timeout = try timeout.map { try Self.duration($0, flag: "--timeout") }
        overrides.connectTimeout = try connectTimeout.map { try Self.duration($0, flag: "--connect-timeout") }
        overrides.insecure = insecure ? true : nil
        overrides.thresholds = try thresholds.map { try Threshold.parseFlag($0) }
        overrides.tags = tags.flatMap { $0.split(separator: ",").map(String.init) }
        overrides.excludeTags = excludeTags.flatMap { $0.split(separator: ",").map(String.init) }
        plan = try overrides.apply(to: plan)
        return plan
    }

    static func duration(_ text: String, flag: String) throws -> Double {
        guard let s = DurationParser.seconds(text) else {
            throw PlanError(message: "\(flag): '\(text)' is not a duration (e.g. 30s, 5m, 1h30m)")
        }
        return s
    }

    func parsedHeaders() throws -> [NamedTemplate] {
        try headers.map { h in
            guard let colon = h.firstIndex(of: ":") else {
                throw PlanError(message: "--header '\(h)' must look like 'Name: value'")
            }
            let name = h[..<colon].trimmingCharacters(in: .whitespaces)
            let value = h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return NamedTemplate(name, Template(literal: value))
        }
    }

    func parsedBody() -> BodySpec {
        guard let body else { return .none }
        let isJSON = (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil
        return .text(Template(literal: body), contentType: isJSON ? "application/json" : "text/plain; charset=utf-8")
    }

    func parsedWait() throws -> WaitTime {
        guard let wait else { return .none }
        let parts = wait.split(separator: "-").map { DurationParser.seconds(String($0)) }
        if parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi { return .between(lo, hi) }
        if parts.count == 1, let c = parts[0] { return .constant(c) }
        throw PlanError(message: "--wait '\(wait)' must be 'MIN-MAX' or a number of seconds")
    }

    /// Fills unset options from FIREDRILL_* environment variables.
    mutating func applyEnvironment() {
        let env = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? { env["FIREDRILL_" + name].flatMap { $0.isEmpty ? nil : $0 } }
        if users == nil, let v = value("USERS") { users = Int(v) }
        if spawnRate == nil, let v = value("SPAWN_RATE") { spawnRate = Double(v) }
        if runTime == nil { runTime = value("RUN_TIME") }
        if host == nil { host = value("HOST") }
        if stopTimeout == nil { stopTimeout = value("STOP_TIMEOUT") }
        if csv == nil { csv = value("CSV") }
        if html == nil { html = value("HTML") }
        if json == nil { json = value("JSON") }
        if junit == nil { junit = value("JUNIT") }
        if threads == nil, let v = value("THREADS") { threads = Int(v) }
        if url == nil, scenario == nil { url = value("URL") }
        if thresholds.isEmpty, let v = value("THRESHOLDS") {
            thresholds = v.split(separator: ";").map { String($0) }
        }
        if metricsPort == nil, let v = value("METRICS_PORT") { metricsPort = Int(v) ?? -1 }
        if metricsHost == nil { metricsHost = value("METRICS_HOST") }
        if metricsLinger == nil { metricsLinger = value("METRICS_LINGER") }
    }
}

/// Writes to standard output without buffering surprises.
enum Console {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
