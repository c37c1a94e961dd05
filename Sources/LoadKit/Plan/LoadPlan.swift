/// Everything a run needs: target, users, load, data and gates. Built from a scenario file or in code.
public struct LoadPlan: Sendable {
    /// Base URL requests are relative to, e.g. `http://127.0.0.1:8000`.
    public var host: String
    /// User classes.
    public var userClasses: [UserClassSpec]
    /// Requests sent once before any user starts (e.g. upload a dataset, train a model); what they
    /// `extract` is visible to every user. A failure here ends the run before the load starts.
    public var setup: [RequestSpec] = []
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
