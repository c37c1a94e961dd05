import ArgumentParser
import FiredrillSupport
import LoadKit

/// Locust's flags that override a scenario (users, spawn rate, run time, host, tags, …), plus the open model,
/// and (``TargetOptions``) timeouts and `--threshold` gates.
struct PlanOverrideOptions: ParsableArguments {
    @Option(name: [.customShort("u"), .customLong("users")], help: "Peak number of users (overrides the file).")
    var users: Int?

    @Option(name: [.customShort("r"), .customLong("spawn-rate")], help: "Users started per second (overrides the file).")
    var spawnRate: Double?

    @Option(name: [.customShort("t"), .customLong("run-time")], help: "Stop after this long, e.g. 30s, 5m, 1h30m.")
    var runTime: String?

    @Option(help: "Base URL of the target (overrides the file), e.g. http://127.0.0.1:8000.")
    var host: String?

    @Option(help: """
        Time in-flight requests may take to finish at the end, e.g. 10s (default 0); those still waiting then \
        count as StopTimeout failures.
        """)
    var stopTimeout: String?

    @Option(help: "Time the scenario's setup requests may take in all, e.g. 2m (default: the file's setup_timeout, else 60s).")
    var setupTimeout: String?

    @Option(name: [.customShort("T"), .customLong("tags")], parsing: .upToNextOption, help: "Run only tasks with these tags.")
    var tags: [String] = []

    @Option(name: [.customShort("E"), .customLong("exclude-tags")], parsing: .upToNextOption, help: "Skip tasks with these tags.")
    var excludeTags: [String] = []


    @OptionGroup var target: TargetOptions

    @Option(help: "Open model: iterations per second instead of users (with --url or to override the file).")
    var arrivalRate: Double?

    @Option(help: "Open model: most users that may be busy at once (default: 10 × rate).")
    var maxUsers: Int?


    /// Fills unset options from FIREDRILL_USERS, _SPAWN_RATE, _RUN_TIME, _HOST, _STOP_TIMEOUT and
    /// _THRESHOLDS (';'-separated).
    mutating func applyEnvironment() {
        if users == nil, let v = FiredrillEnvironment.value("USERS") { users = Int(v) }
        if spawnRate == nil, let v = FiredrillEnvironment.value("SPAWN_RATE") { spawnRate = Double(v) }
        runTime = runTime ?? FiredrillEnvironment.value("RUN_TIME")
        host = host ?? FiredrillEnvironment.value("HOST")
        stopTimeout = stopTimeout ?? FiredrillEnvironment.value("STOP_TIMEOUT")
        if target.thresholds.isEmpty, let v = FiredrillEnvironment.value("THRESHOLDS") {
            target.thresholds = v.split(separator: ";").map { String($0) }
        }
    }

    /// The overrides, with durations and thresholds parsed (a bad one is a ``PlanError`` naming the flag).
    func overrides() throws -> PlanOverrides {
        var overrides = PlanOverrides()
        overrides.users = users
        overrides.spawnRate = spawnRate
        overrides.runTime = try runTime.map { try Self.duration($0, flag: "--run-time", positive: true) }
        overrides.host = host
        overrides.stopTimeout = try stopTimeout.map { try Self.duration($0, flag: "--stop-timeout") }
        overrides.setupTimeout = try setupTimeout.map { try Self.duration($0, flag: "--setup-timeout", positive: true) }
        overrides.arrivalRate = arrivalRate
        overrides.maxUsers = maxUsers
        try target.apply(to: &overrides)
        overrides.tags = tags.flatMap { $0.split(separator: ",").map(String.init) }
        overrides.excludeTags = excludeTags.flatMap { $0.split(separator: ",").map(String.init) }
        return overrides
    }

    /// `text` in seconds; `positive` refuses 0 (a run time or timeout of 0 only fails every request).
    static func duration(_ text: String, flag: String, positive: Bool = false) throws -> Double {
        guard let s = DurationText.seconds(text) else {
            throw PlanError(message: "\(flag): '\(text)' is not a duration (e.g. 30s, 5m, 1h30m)")
        }
        if positive && s <= 0 { throw PlanError(message: "\(flag) must be above 0, got '\(text)'") }
        if s > LoadPlan.longestDuration { throw PlanError(message: "\(flag): '\(text)' is longer than 1y, the longest duration firedrill takes") }
        return s
    }
}
