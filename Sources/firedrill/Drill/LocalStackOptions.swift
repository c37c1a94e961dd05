import ArgumentParser
import DrillKit
import Foundation
import Logging

/// `--stack local`: the executables and rules of the stack `firedrill drill` starts on 127.0.0.1.
struct LocalStackOptions: ParsableArguments {
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

    /// Starts csv-analyzer (and Prometheus and Alertmanager unless `--no-monitoring`) with logs under `work`.
    func launch(root: URL, work: URL, scale: Double, logger: Logger) async throws -> LocalStack {
        guard let analyzer = analyzerBin ?? Self.findExecutable("csv-analyzer") else {
            throw ValidationError("csv-analyzer not found next to firedrill or on PATH: build it (swift build) or pass --analyzer-bin")
        }
        let options = LocalStack.Options(
            repositoryRoot: root, workDirectory: work, csvAnalyzer: URL(fileURLWithPath: analyzer), timeScale: scale,
            rulesFile: rules.map { URL(fileURLWithPath: $0) }, prometheusBinary: prometheusBin.map { URL(fileURLWithPath: $0) },
            alertmanagerBinary: alertmanagerBin.map { URL(fileURLWithPath: $0) }, monitoring: !noMonitoring, logger: logger)
        return try await LocalStack.launch(options)
    }

    /// `name` next to this executable (a SwiftPM build puts both products there), else on PATH.
    static func findExecutable(_ name: String) -> String? {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let path = ProcessInfo.processInfo.environment["PATH"].map { here + ":" + $0 } ?? here
        return MonitoringBinaries.find([name], path: path)?.path
    }
}
