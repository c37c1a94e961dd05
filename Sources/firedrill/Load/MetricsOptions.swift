import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit

/// `--metrics-port`, `--metrics-host`, `--metrics-linger`: live Prometheus metrics while a load test runs.
struct MetricsOptions: ParsableArguments {
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

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535")
        }
        try checkLinger()
    }

    /// A linger up to 1y (a longer one trapped when the wait was scheduled).
    private func checkLinger() throws {
        if let metricsLinger, DurationText.seconds(metricsLinger).map({ $0 <= LoadPlan.longestDuration }) != true {
            throw ValidationError("--metrics-linger (or FIREDRILL_METRICS_LINGER): '\(metricsLinger)' is not a duration up to 1y (e.g. 15s, 1m)")
        }
    }

    /// Fills unset options from FIREDRILL_METRICS_PORT, _METRICS_HOST and _METRICS_LINGER; a port that is not a
    /// number becomes -1, which ``start(for:)`` refuses.
    mutating func applyEnvironment() {
        if metricsPort == nil, let v = FiredrillEnvironment.value("METRICS_PORT") { metricsPort = Int(v) ?? -1 }
        metricsHost = metricsHost ?? FiredrillEnvironment.value("METRICS_HOST")
        metricsLinger = metricsLinger ?? FiredrillEnvironment.value("METRICS_LINGER")
    }

    /// Seconds to keep serving after the run (`--metrics-linger`, default 0).
    var linger: Double { metricsLinger.flatMap(DurationText.seconds) ?? 0 }

    /// Checks the port and the linger, also when they came from the environment.
    func checkPort() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port (or FIREDRILL_METRICS_PORT) must be between 0 and 65535")
        }
        try checkLinger()
    }

    /// Starts the exporter for `run` when `--metrics-port` is set.
    func start(for run: LoadRun) async throws -> MetricsExporter? {
        try await start { run.snapshot }
    }

    /// Starts the exporter serving `snapshot()` when `--metrics-port` is set (web mode: the current test's).
    func start(snapshot: @escaping @Sendable () -> StatsSnapshot) async throws -> MetricsExporter? {
        guard let metricsPort else { return nil }
        let metricsHost = self.metricsHost ?? "127.0.0.1"
        let exporter: MetricsExporter
        do {
            exporter = try await MetricsExporter.start(host: metricsHost, port: metricsPort, snapshot: snapshot)
        } catch {
            Console.error("error: --metrics-port: cannot listen on \(metricsHost):\(metricsPort): \(error)")
            throw ExitCodes.runError
        }
        Console.write("metrics on \(exporter.url)\n")
        return exporter
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
}
