import FiredrillSupport
import Foundation
import Logging
import Synchronization

/// A drill stack on 127.0.0.1: csv-analyzer, Prometheus with time-compressed rules, Alertmanager
/// and the drill's webhook, each on a free port, with configs, data and logs in a work directory.
///
/// Work directory layout: `prometheus.yml`, `alertmanager.yml`, `alerts.yml` (scaled rules),
/// `targets/csv-analyzer.json` (Prometheus' `file_sd` target of the service), `data/`
/// (csv-analyzer's data), `prometheus-data/` and `alertmanager-data/` (reset at launch), `logs/`
/// (one log per process).
public final class LocalStack: DrillStack {
    /// How to launch a local stack.
    public struct Options: Sendable {
        /// Where `alerts.yml`, `prometheus.yml`, `alertmanager.yml` and `alertmanager/` live.
        public var repositoryRoot: URL
        /// Rules to scale instead of the repository's `alerts.yml`.
        public var rulesFile: URL?
        /// The drill's time scale (0 < scale ≤ 1): `for:` and range windows are multiplied by it.
        public var timeScale: Double
        /// Configs, data, storage and logs go here (created if missing).
        public var workDirectory: URL
        /// The csv-analyzer executable.
        public var csvAnalyzer: URL
        /// Prometheus' executable; nil: `prometheus` on PATH or in /usr/bin.
        public var prometheusBinary: URL?
        /// Alertmanager's executable; nil: `alertmanager` or `prometheus-alertmanager` on PATH or in /usr/bin.
        public var alertmanagerBinary: URL?
        /// False: start neither Prometheus nor Alertmanager.
        public var monitoring: Bool
        public var logger: Logger

        public init(repositoryRoot: URL, workDirectory: URL, csvAnalyzer: URL, timeScale: Double = 1, rulesFile: URL? = nil,
                    prometheusBinary: URL? = nil, alertmanagerBinary: URL? = nil, monitoring: Bool = true,
                    logger: Logger = Logger(label: "firedrill.stack")) {
            self.repositoryRoot = repositoryRoot
            self.rulesFile = rulesFile
            self.timeScale = timeScale
            self.workDirectory = workDirectory
            self.csvAnalyzer = csvAnalyzer
            self.prometheusBinary = prometheusBinary
            self.alertmanagerBinary = alertmanagerBinary
            self.monitoring = monitoring
            self.logger = logger
        }
    }

    /// How long csv-analyzer may drain after SIGTERM before its process group is killed.
    static let serviceGrace = Duration.seconds(15)
    static let monitoringGrace = Duration.seconds(10)
    static let readyTimeout = Duration.seconds(30)
    static let healthTimeout = Duration.seconds(60)
    static let scrapeTimeout = Duration.seconds(20)

    public let kind = "local"
    public let serviceURL: String
    public let adminToken: String
    public let prometheus: PrometheusClient?
    public let alertmanager: AlertmanagerClient?
    public let monitoringGap: String?
    /// The options it was launched with.
    public let options: Options
    public let workDirectory: URL
    public let commands: CommandProcesses
    /// Started by the drill's first `proxy` step, in process.
    public let proxy: DrillProxy
    /// The URL Alertmanager posts the drill's notifications to; nil without Alertmanager.
    public var webhookURL: String? { webhook?.url }

    let servicePort: Int
    let prometheusProcess: ChildProcess?
    let alertmanagerProcess: ChildProcess?
    private let webhook: WebhookReceiver?
    private let watchdog: StackWatchdog
    private let logger: Logger

    private struct State {
        var service: ChildProcess?
        var everyService: [ChildProcess] = []
        var stopped = false
    }

    private let state = Mutex(State())

    private init(options: Options, servicePort: Int, adminToken: String, prometheusPort: Int?, alertmanagerPort: Int?,
                 prometheusProcess: ChildProcess?, alertmanagerProcess: ChildProcess?, webhook: WebhookReceiver?,
                 watchdog: StackWatchdog, monitoringGap: String?) {
        self.options = options
        self.workDirectory = options.workDirectory.standardizedFileURL
        self.proxy = DrillProxy(logger: options.logger)
        self.commands = CommandProcesses(logsDirectory: options.workDirectory.standardizedFileURL.appendingPathComponent("logs"))
        self.servicePort = servicePort
        self.serviceURL = "http://127.0.0.1:\(servicePort)"
        self.adminToken = adminToken
        self.prometheus = prometheusPort.map { PrometheusClient(baseURL: "http://127.0.0.1:\($0)") }
        self.alertmanager = alertmanagerPort.map { AlertmanagerClient(baseURL: "http://127.0.0.1:\($0)") }
        self.prometheusProcess = prometheusProcess
        self.alertmanagerProcess = alertmanagerProcess
        self.webhook = webhook
        self.watchdog = watchdog
        self.monitoringGap = monitoringGap
        self.logger = options.logger
        commands.observe { [weak self] in
            guard let self else { return }
            self.watchdog.watch(self.processes)
        }
    }

    // MARK: - Launch

    /// Starts the webhook, Alertmanager and Prometheus (when installed and `monitoring` is on) and
    /// waits until both answer `/-/ready`. The service itself starts with `startService(options:)`.
    /// - Throws: `ControlError` (with the tail of the failing process' log); whatever started is stopped.
    public static func launch(_ options: Options) async throws -> LocalStack {
        guard options.timeScale > 0, options.timeScale <= 1 else {
            throw ControlError(message: "time scale must be in (0, 1], got \(options.timeScale)")
        }
        guard FileManager.default.isExecutableFile(atPath: options.csvAnalyzer.path) else {
            throw ControlError(message: "csv-analyzer is not built at \(options.csvAnalyzer.path): run `swift build --product csv-analyzer`")
        }
        let logger = options.logger
        let work = options.workDirectory.standardizedFileURL
        let root = options.repositoryRoot.standardizedFileURL
        try FileManager.default.createDirectory(at: work.appendingPathComponent("targets"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("data"), withIntermediateDirectories: true)
        let ports = try Loopback.freePorts(3)
        let token = randomToken()
        try write(MonitoringConfig.serviceTargets(port: nil), to: work.appendingPathComponent("targets/csv-analyzer.json"))

        var prometheusBinary: URL?
        var alertmanagerBinary: URL?
        let gap: String?
        if options.monitoring {
            prometheusBinary = try MonitoringBinaries.resolve(explicit: options.prometheusBinary, names: MonitoringBinaries.prometheusNames,
                                                              flag: "--prometheus-bin")
            alertmanagerBinary = try MonitoringBinaries.resolve(explicit: options.alertmanagerBinary,
                                                                names: MonitoringBinaries.alertmanagerNames, flag: "--alertmanager-bin")
            gap = MonitoringBinaries.gap(prometheus: prometheusBinary, alertmanager: alertmanagerBinary)
            if prometheusBinary == nil { alertmanagerBinary = nil }  // nothing would send it alerts
        } else {
            gap = "monitoring is off: neither Prometheus nor Alertmanager was started, so alert expectations and "
                + "Prometheus probes are skipped"
        }
        if let gap { logger.info("\(gap)") }

        var webhook: WebhookReceiver?
        let watchdog = try StackWatchdog.start(in: work)
        var started: [ChildProcess] = []
        var prometheusProcess: ChildProcess?
        var alertmanagerProcess: ChildProcess?
        do {
            if let prometheusBinary {
                let (prometheusPort, alertmanagerPort) = (ports[1], ports[2])
                if let alertmanagerBinary {
                    let hook = try await WebhookReceiver.start()
                    webhook = hook
                    let config = try MonitoringConfig.alertmanager(
                        repositoryConfig: try read(root.appendingPathComponent("alertmanager.yml")), repositoryRoot: root,
                        webhookURL: hook.url)
                    try write(config, to: work.appendingPathComponent("alertmanager.yml"))
                    let process = try spawnMonitor(alertmanagerBinary, name: "alertmanager", in: work, arguments: [
                        "--storage.path=\(try freshDirectory(work.appendingPathComponent("alertmanager-data")).path)",
                        "--web.listen-address=127.0.0.1:\(alertmanagerPort)", "--cluster.listen-address="])
                    started.append(process)
                    watchdog.watch(started)
                    alertmanagerProcess = process
                }
                let rules = work.appendingPathComponent("alerts.yml")
                try write(try MonitoringConfig.rules(repositoryRoot: root, rulesFile: options.rulesFile, timeScale: options.timeScale),
                          to: rules)
                let config = try MonitoringConfig.prometheus(
                    repositoryConfig: try read(root.appendingPathComponent("prometheus.yml")), rulesFile: rules.path,
                    serviceTargetsFile: work.appendingPathComponent("targets/csv-analyzer.json").path,
                    prometheusPort: prometheusPort, alertmanagerPort: alertmanagerProcess == nil ? nil : alertmanagerPort)
                try write(config, to: work.appendingPathComponent("prometheus.yml"))
                let process = try spawnMonitor(prometheusBinary, name: "prometheus", in: work, arguments: [
                    "--storage.tsdb.path=\(try freshDirectory(work.appendingPathComponent("prometheus-data")).path)",
                    "--web.listen-address=127.0.0.1:\(prometheusPort)",
                    // Alerts that fire before Alertmanager is discovered (~5 s) would otherwise
                    // wait a minute to be sent again.
                    "--rules.alert.resend-delay=1s"])
                started.append(process)
                watchdog.watch(started)
                prometheusProcess = process
                if let alertmanagerProcess {
                    try await Loopback.waitUntilOK("http://127.0.0.1:\(alertmanagerPort)/-/ready", name: "Alertmanager",
                                                   process: alertmanagerProcess, timeout: readyTimeout)
                }
                try await Loopback.waitUntilOK("http://127.0.0.1:\(prometheusPort)/-/ready", name: "Prometheus",
                                               process: process, timeout: readyTimeout)
            }
        } catch {
            for process in started.reversed() { await process.terminate(grace: .seconds(5)) }
            await webhook?.stop()
            await watchdog.stop()
            throw error
        }
        let stack = LocalStack(options: options, servicePort: ports[0], adminToken: token,
                               prometheusPort: prometheusProcess == nil ? nil : ports[1],
                               alertmanagerPort: alertmanagerProcess == nil ? nil : ports[2],
                               prometheusProcess: prometheusProcess, alertmanagerProcess: alertmanagerProcess, webhook: webhook,
                               watchdog: watchdog, monitoringGap: gap)
        let summary = "local stack in \(work.path): service \(stack.serviceURL), Prometheus \(stack.prometheus?.baseURL ?? "none"), "
            + "Alertmanager \(stack.alertmanager?.baseURL ?? "none"), webhook \(webhook?.url ?? "none")"
        logger.info("\(summary)")
        return stack
    }

    /// Starts Prometheus or Alertmanager with `NAME.yml` from `work` and its log in `work/logs/NAME.log`.
    private static func spawnMonitor(_ binary: URL, name: String, in work: URL, arguments: [String]) throws -> ChildProcess {
        try ChildProcess.spawn(executable: binary.path,
                               arguments: ["--config.file=\(work.appendingPathComponent("\(name).yml").path)"] + arguments,
                               logFile: work.appendingPathComponent("logs/\(name).log"), workingDirectory: work)
    }

    // MARK: - DrillStack

    /// Starts `csv-analyzer serve` with the step's options (stopping a previously started service
    /// first: a restart is real downtime, which ServiceDown may report) and waits until `/healthz`
    /// answers 200 and, when Prometheus runs, until Prometheus has scraped it (≤ 20 s; target
    /// discovery takes ~5 s), so steady-state probes that follow find its series.
    /// - Returns: the command line (admin token redacted).
    /// - Throws: `ControlError` for an unknown option, or with the tail of the service's log when it
    ///   exits or does not answer within 60 s.
    public func startService(options serveOptions: [String: String]) async throws -> String {
        let work = options.workDirectory.standardizedFileURL
        let arguments = ["serve", "--host", "127.0.0.1", "--port", String(servicePort),
                         "--data-dir", work.appendingPathComponent("data").path,
                         "--admin-token", adminToken, "--log-level", "warning"] + (try ServeOptions.flags(serveOptions))
        if let previous = state.withLock({ $0.service }) {
            logger.info("stopping the previous csv-analyzer (pid \(previous.pid))")
            await previous.terminate(grace: Self.serviceGrace)
        }
        let environment = ProcessInfo.processInfo.environment.filter { key, _ in
            // The drill's options are the only configuration (no inherited database, MLflow, …).
            !key.hasPrefix("CSV_ANALYZER_") && key != "MLFLOW_TRACKING_URI" && key != "LOG_LEVEL"
        }
        let spawnedAt = Date()
        let process = try state.withLock { state -> ChildProcess in
            guard !state.stopped else { throw ControlError(message: "the local stack is stopped") }
            let process = try ChildProcess.spawn(executable: options.csvAnalyzer.path, arguments: arguments,
                                                 logFile: work.appendingPathComponent("logs/csv-analyzer.log"),
                                                 workingDirectory: work, environment: environment)
            state.service = process
            state.everyService.append(process)
            return process
        }
        watchdog.watch(processes)
        let commandLine = ([options.csvAnalyzer.path] + arguments).map { $0 == adminToken ? "***" : $0 }.joined(separator: " ")
        logger.info("started csv-analyzer (pid \(process.pid)): \(commandLine)")
        do {
            try await Loopback.waitUntilOK(serviceURL + "/healthz", name: "csv-analyzer", process: process, timeout: Self.healthTimeout)
            try Self.write(MonitoringConfig.serviceTargets(port: servicePort), to: targetsFile)
        } catch {
            await process.terminate(grace: .seconds(5))
            throw error
        }
        if let prometheus, !(try await waitUntilScraped(by: prometheus, since: spawnedAt, timeout: Self.scrapeTimeout)) {
            logger.warning("Prometheus has not scraped csv-analyzer at \(serviceURL) within \(Self.scrapeTimeout)")
            return commandLine + " (not scraped by Prometheus yet)"
        }
        return commandLine
    }

    /// Waits until Prometheus' `csv-analyzer` target is up with a scrape after `since`.
    /// - Returns: false on timeout.
    private func waitUntilScraped(by prometheus: PrometheusClient, since: Date, timeout: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let instance = "127.0.0.1:\(servicePort)"
        while clock.now < deadline {
            guard !state.withLock({ $0.stopped }) else { throw ControlError(message: "the local stack was stopped") }
            let object = try? await HTTPJSON.get(prometheus.baseURL + "/api/v1/targets?state=active", timeout: .seconds(2))
            let targets = ((object as? [String: Any])?["data"] as? [String: Any])?["activeTargets"] as? [Any] ?? []
            let scraped = targets.compactMap { $0 as? [String: Any] }.contains { target in
                let labels = HTTPJSON.labels(target["labels"])
                return labels["job"] == "csv-analyzer" && labels["instance"] == instance && target["health"] as? String == "up"
                    && (HTTPJSON.date(target["lastScrape"]).map { $0 >= since } ?? false)
            }
            if scraped { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    public func notifications() -> [AlertNotification]? { webhook?.notifications() }

    /// Stops csv-analyzer (SIGTERM, 15 s grace, then SIGKILL to its process group), the programs of
    /// generic `start` steps (which it may depend on, so after it), the in-process proxy, Prometheus,
    /// Alertmanager and the webhook. Idempotent; safe concurrently with a running drill (a
    /// `startService` racing it is refused or stopped).
    public func stop() async {
        let service = state.withLock { state -> ChildProcess? in
            state.stopped = true
            return state.service
        }
        if let service { await service.terminate(grace: Self.serviceGrace) }
        await commands.stopAll()
        await proxy.stop()
        if let prometheusProcess { await prometheusProcess.terminate(grace: Self.monitoringGrace) }
        if let alertmanagerProcess { await alertmanagerProcess.terminate(grace: Self.monitoringGrace) }
        await webhook?.stop()
        await watchdog.stop()
    }

    // MARK: - Internal (tests)

    /// The running service process, if any.
    var serviceProcess: ChildProcess? { state.withLock { $0.service } }

    /// Stops the service only (Prometheus keeps scraping it, so ServiceDown fires).
    func stopService(grace: Duration) async {
        await serviceProcess?.terminate(grace: grace)
    }

    /// Stops csv-analyzer (SIGTERM, then SIGKILL to its process group after the grace period); a
    /// later `startService` restarts it on the same port and data directory.
    public func stopService() async throws -> String {
        guard let process = serviceProcess else { throw ControlError(message: "no csv-analyzer was started (a `start` step comes first)") }
        await process.terminate(grace: Self.serviceGrace)
        return "csv-analyzer (pid \(process.pid)) stopped: \(process.exitStatus.map { "\($0)" } ?? "exit status unknown")"
    }

    /// Every process this stack started.
    var processes: [ChildProcess] {
        state.withLock { $0.everyService } + commands.all + [prometheusProcess, alertmanagerProcess].compactMap { $0 }
    }

    // MARK: - Helpers

    private var targetsFile: URL { options.workDirectory.standardizedFileURL.appendingPathComponent("targets/csv-analyzer.json") }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private static func read(_ file: URL) throws -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ControlError(message: "cannot read \(file.path): \(error.localizedDescription)")
        }
    }

    /// Writes atomically (Prometheus watches the targets file).
    private static func write(_ text: String, to file: URL) throws {
        do {
            try Data(text.utf8).write(to: file, options: .atomic)
        } catch {
            throw ControlError(message: "cannot write \(file.path): \(error.localizedDescription)")
        }
    }

    /// An empty directory: stale silences or notification logs would suppress the drill's alerts.
    private static func freshDirectory(_ directory: URL) throws -> URL {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
