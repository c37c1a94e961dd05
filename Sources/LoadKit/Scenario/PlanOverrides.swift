/// Command-line overrides (Locust's flags) applied on top of a scenario.
public struct PlanOverrides: Sendable {
    /// `-u/--users`.
    public var users: Int?
    /// `-r/--spawn-rate`.
    public var spawnRate: Double?
    /// `-t/--run-time` in seconds.
    public var runTime: Double?
    /// `--host`.
    public var host: String?
    /// `--stop-timeout` in seconds.
    public var stopTimeout: Double?
    /// `--setup-timeout` in seconds.
    public var setupTimeout: Double?
    /// Open model rate (iterations per second).
    public var arrivalRate: Double?
    /// Open model `max_users`.
    public var maxUsers: Int?
    /// Response timeout in seconds.
    public var timeout: Double?
    /// Connect timeout in seconds.
    public var connectTimeout: Double?
    /// Skip TLS verification.
    public var insecure: Bool?
    /// Extra thresholds (`--threshold`), added to the scenario's.
    public var thresholds: [Threshold] = []
    /// `--tags`.
    public var tags: [String] = []
    /// `--exclude-tags`.
    public var excludeTags: [String] = []

    /// No overrides.
    public init() {}

    /// The plan with the overrides applied.
    public func apply(to original: LoadPlan) throws(PlanError) -> LoadPlan {
        var plan = try original.filteringTags(include: tags, exclude: excludeTags)
        if let host {
            guard TargetURL(host) != nil else { throw PlanError(message: "--host '\(host)' is not an http(s) URL") }
            plan.host = host
        }
        if let stopTimeout { plan.stopTimeout = stopTimeout }
        if let setupTimeout { plan.setupTimeout = setupTimeout }
        if let timeout { plan.http.timeout = timeout }
        if let connectTimeout { plan.http.connectTimeout = connectTimeout }
        if let insecure { plan.http.insecure = insecure }
        plan.thresholds += thresholds
        if let users, users < 0 { throw PlanError(message: "--users must be at least 0") }
        if let spawnRate, spawnRate <= 0 { throw PlanError(message: "--spawn-rate must be above 0") }
        if let maxUsers, maxUsers < 1 { throw PlanError(message: "--max-users must be at least 1") }
        if let arrivalRate {
            guard arrivalRate > 0 else { throw PlanError(message: "--arrival-rate must be above 0") }
            guard arrivalRate <= LoadPlan.highestRate else {
                throw PlanError(message: "--arrival-rate must be at most \(Int(LoadPlan.highestRate)) per second")
            }
            let duration = runTime ?? plan.load.plannedDuration
            guard let duration else { throw PlanError(message: "--arrival-rate needs --run-time") }
            let maxUsers = self.maxUsers ?? max(10, Int(arrivalRate * 10))
            plan.load = .constantArrival(
                rate: arrivalRate, duration: duration, preAllocatedUsers: min(maxUsers, max(1, Int(arrivalRate))),
                maxUsers: maxUsers)
            return plan
        }
        switch plan.load {
        case .closed(let u, let r, let t):
            plan.load = .closed(users: users ?? u, spawnRate: spawnRate ?? r, runTime: runTime ?? t)
        case .stages(let stages):
            if users != nil || spawnRate != nil || runTime != nil {
                // Locust: flags given on the command line replace the shape with a plain ramp.
                let peak = users ?? stages.map(\.users).max() ?? 1
                plan.load = .closed(users: peak, spawnRate: spawnRate ?? Double(max(peak, 1)),
                                    runTime: runTime ?? plan.load.plannedDuration)
            }
        case .constantArrival(let rate, let duration, let pre, let maxU):
            plan.load = .constantArrival(rate: rate, duration: runTime ?? duration, preAllocatedUsers: pre,
                                         maxUsers: maxUsers ?? maxU)
        case .rampingArrival(let start, let stages, let pre, let maxU):
            plan.load = .rampingArrival(startRate: start, stages: stages, preAllocatedUsers: pre,
                                        maxUsers: maxUsers ?? maxU)
        case .replay(let timeline, let pre, let maxU):
            // --run-time bounds a replay (a looping one in particular); it never stretches one.
            let bounded = runTime.map { t in
                ReplayTimeline(offsets: timeline.offsets, tasks: timeline.tasks, loop: timeline.loop,
                               period: timeline.period, limit: min(t, timeline.limit ?? t))
            } ?? timeline
            let m = maxUsers ?? maxU
            plan.load = .replay(bounded, preAllocatedUsers: min(pre, m), maxUsers: m)
        }
        return plan
    }
}
