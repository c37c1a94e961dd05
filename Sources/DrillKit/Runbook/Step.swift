import AnalyzerAPI
import LoadKit

/// One step of a drill's method or rollbacks. Durations are in incident time: the runner multiplies
/// them by the drill's time scale.
public struct Step: Sendable, Equatable {
    /// Which load-generator action a `load` step takes.
    public enum LoadAction: Sendable, Equatable {
        /// Starts `firedrill load SCENARIO [-u USERS] [-r SPAWN_RATE] [-T TAGS]` against the service,
        /// in the background, until a `load: {action: stop}` step or the end of the drill. What the
        /// step leaves out (nil) is the scenario's: its users, spawn rate and load shape (stages,
        /// arrival rate) survive; a closed or constant-rate load runs for `runTime` if stated, else
        /// until stopped (at most 6 h).
        /// `host` replaces the stack's service as the target (e.g. a proxy in front of another service).
        /// `arrival` replaces the scenario's load with a ramping arrival rate (its stage durations in
        /// incident time, scaled like every drill duration): how a generated drill replays an
        /// incident's request-rate curve.
        case start(scenario: String, users: Int? = nil, spawnRate: Double? = nil, runTime: PromDuration? = nil, tags: [String] = [],
                   host: StepText? = nil, arrival: ArrivalShape? = nil)
        /// Stops the running load.
        case stop
    }

    /// A ramping arrival rate (k6's `ramping-arrival-rate`): iterations per second move linearly
    /// from `startRate` through each stage's target.
    public struct ArrivalShape: Sendable, Equatable {
        public var startRate: Double
        /// The stages, their durations in incident seconds (the runner scales them like every drill duration).
        public var stages: [LoadProfile.RateStage]
        /// Most concurrent users the open model may create (iterations beyond are dropped and counted).
        public var maxUsers: Int

        public init(startRate: Double, stages: [LoadProfile.RateStage], maxUsers: Int) {
            self.startRate = startRate
            self.stages = stages
            self.maxUsers = maxUsers
        }
    }

    /// What an `act` step does to the service (the operator's remedies).
    public enum Action: Sendable, Equatable {
        /// `POST /admin/workers` with `count` and/or `max_requests`.
        case scale(workers: Int?, maxRequests: Int?)
        /// `POST /admin/workers/restart`, optionally switching `features_impl`.
        case restart(featuresImpl: FeaturesImplementation?)
        /// Retrains `model` (every model when nil).
        case retrain(model: String?)
        /// Clears the fault `id`, or every fault when nil.
        case clearFault(id: String?)
        /// Stops the service (supervisor and workers); a later `start` step brings it back.
        case stopService
    }

    /// The step kinds.
    public enum Kind: Sendable, Equatable {
        /// Starts csv-analyzer with these `serve` options (`workers`, `memory_limit`, …), as texts
        /// (`database_url` may name runtime variables, e.g. a proxy's port).
        case start(options: [String: StepText])
        /// Uploads a dataset and trains `models` models on it.
        case seed(models: Int, rows: Int?)
        /// Injects a fault through `POST /admin/faults` with these fields (`type` is required).
        case faultSet(FaultSpec)
        /// Clears the fault `id`, or every fault when nil.
        case faultClear(id: String?)
        /// Starts or stops load.
        case load(LoadAction)
        /// Waits until Prometheus reports `alert` in `state` (`firing` or `resolved`), at most `within`;
        /// with `notified`, also until Alertmanager's notification of that state reached the webhook.
        case expectAlert(alert: String, state: AlertExpectation, within: PromDuration, notified: Bool = false)
        /// Applies a remedy.
        case act(Action)
        /// Requires every sample of `query` to stay within `tolerance` for `holdFor`.
        case assert(query: String, tolerance: Tolerance, holdFor: PromDuration)
        /// Sleeps.
        case wait(PromDuration)
        /// Starts any program (a `start` step with a `command`), stopped with the stack.
        case process(ProcessStep)
        /// Drives the fault proxy.
        case proxy(ProxyStep)
        /// Sends an HTTP request and checks the answer.
        case http(HTTPStep)
        /// Runs a command to its end and checks its exit code and output.
        case exec(ExecStep)
        /// Signals a started program or a pidfile's PID.
        case signal(SignalStep)
        /// Runs the runbook's diagnosis blocks (fences marked `diagnosis`) until each points at the
        /// cause, at most `within`; and checks that every alert firing carries a `runbook_url`
        /// that resolves to this runbook or one it links.
        case diagnose(within: PromDuration)
    }

    /// The alert state an `expect_alert` step waits for.
    public enum AlertExpectation: String, Sendable, Equatable, CaseIterable {
        /// Prometheus holds the alert as firing (past its `for:`).
        case firing
        /// Prometheus no longer holds the alert (neither pending nor firing).
        case resolved
    }

    /// An optional human-readable name.
    public var name: String?
    /// What the step does.
    public var kind: Kind
    /// The step's line in the Markdown file.
    public var line: Int

    /// Creates a step.
    public init(name: String? = nil, kind: Kind, line: Int) {
        self.name = name
        self.kind = kind
        self.line = line
    }
}
