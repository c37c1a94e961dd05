/// Everything a run needs: target, users, load, data and gates. Built from a scenario file or in code.
public struct LoadPlan: Sendable {
    /// The longest duration a scenario key or flag may give, in seconds (1 year): longer ones are
    /// refused before the run rather than overflowing the engine's nanosecond timers.
    public static let longestDuration: Double = 31_536_000
    /// The highest arrival rate a scenario or `--arrival-rate` may give, in iterations per second.
    public static let highestRate: Double = 1_000_000

    /// Base URL requests are relative to, e.g. `http://127.0.0.1:8000`.
    public var host: String
    /// User classes.
    public var userClasses: [UserClassSpec]
    /// Requests sent once before any user starts (e.g. upload a dataset, train a model); what they
    /// `extract` is visible to every user. A failure here ends the run before the load starts.
    public var setup: [RequestSpec] = []
    /// Seconds the whole `setup` may take (requests, polls) before the run fails (`setup_timeout`).
    public var setupTimeout: Double = 60
    /// Users or arrival rate over time.
    public var load: LoadProfile
    /// Generated variables (`${name}`).
    public var variables: [Variable]
    /// CSV feeders (`${feeder.column}`).
    public var feeders: [Feeder]
    /// Names of per-user variables set by `extract`.
    public var userVariables: [String]
    /// CI gates.
    public var thresholds: [Threshold]
    /// Seconds in-flight requests may take to finish after the run ends.
    public var stopTimeout: Double
/// Connection and request defaults.
    public var http: HTTPSettings

    /// Creates a plan.
    public init(
        host: String, userClasses: [UserClassSpec], load: LoadProfile, variables: [Variable] = [],
        feeders: [Feeder] = [], userVariables: [String] = [], thresholds: [Threshold] = [],
        stopTimeout: Double = 0, http: HTTPSettings = HTTPSettings()
    ) {
        self.host = host
        self.userClasses = userClasses
        self.load = load
        self.variables = variables
        self.feeders = feeders
        self.userVariables = userVariables
        self.thresholds = thresholds
        self.stopTimeout = stopTimeout
        self.http = http
    }

    /// A plan that sends one request to `url` as fast as each user can (`firedrill load --url`).
    public static func single(
        url: String, method: String = "GET", headers: [NamedTemplate] = [], body: BodySpec = .none,
        wait: WaitTime = .none, load: LoadProfile
    ) throws(PlanError) -> LoadPlan {
        guard let target = TargetURL(url) else { throw PlanError(message: "not an http(s) URL: \(url)") }
        let path = Template(literal: target.pathAndQuery)
        let name = target.pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let request = RequestSpec(name: name, method: method, path: path, headers: headers, body: body)
        let user = UserClassSpec(name: "User", wait: wait, tasks: [TaskSpec(name: "request", requests: [request])])
        return LoadPlan(host: target.origin.description, userClasses: [user], load: load)
    }

    /// Keeps only tasks that carry one of `include` (when non-empty) and none of `exclude`;
    /// user classes left without tasks are dropped.
    public func filteringTags(include: [String], exclude: [String]) throws(PlanError) -> LoadPlan {
        if include.isEmpty && exclude.isEmpty { return self }
        var copy = self
        copy.userClasses = userClasses.compactMap { cls in
            var c = cls
            c.tasks = cls.tasks.filter { task in
                (include.isEmpty || task.tags.contains(where: include.contains))
                    && !task.tags.contains(where: exclude.contains)
            }
            return c.tasks.isEmpty ? nil : c
        }
        if copy.userClasses.isEmpty { throw PlanError(message: "no task is left after --tags/--exclude-tags") }
        return copy
    }
}
