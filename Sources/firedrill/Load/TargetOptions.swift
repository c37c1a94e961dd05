import ArgumentParser
import LoadKit

/// `--timeout`, `--connect-timeout`, `--insecure` and `--threshold`: how requests meet the target and
/// what the run must prove, shared by `load` and `replay`.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("threshold"), help: "A gate such as 'p(95) < 500ms' or 'NAME: rate(failed) < 0.01' (repeatable).")
    var thresholds: [String] = []

    @Option(help: "Response timeout, e.g. 30s (default 60s).")
    var timeout: String?

    @Option(help: "Connect timeout, e.g. 5s (default 10s).")
    var connectTimeout: String?

    @Flag(help: "Do not verify TLS certificates.")
    var insecure = false

    /// Sets these flags' overrides (a bad duration or threshold is a ``PlanError`` naming the flag).
    func apply(to overrides: inout PlanOverrides) throws {
        overrides.timeout = try timeout.map { try PlanOverrideOptions.duration($0, flag: "--timeout", positive: true) }
        overrides.connectTimeout = try connectTimeout.map { try PlanOverrideOptions.duration($0, flag: "--connect-timeout", positive: true) }
        overrides.insecure = insecure ? true : nil
        overrides.thresholds = try thresholds.map { try Threshold.parseFlag($0) }
    }
}
