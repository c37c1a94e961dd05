import Foundation

/// What a drill run did, in the spirit of Chaos Toolkit's journal: the outcome, the steady state
/// before and after, every step with its start, end and result, plus the timeline and the sampled
/// series the HTML report draws. Written as `journal.json`; JUnit and HTML are rendered from it.
public struct DrillJournal: Sendable, Codable {
    /// How the run ended.
    public enum Status: String, Sendable, Codable {
        /// Every step ran (expectations may still have failed: see `passed`).
        case completed
        /// A step failed or an expectation did not hold; the method stopped there.
        case failed
        /// The steady state did not hold before the method, which therefore did not run.
        case aborted
        /// Stopped by Ctrl-C/SIGTERM.
        case interrupted
    }

    /// The result of one check or step.
    public enum Outcome: String, Sendable, Codable {
        case passed, failed, skipped
    }

    /// The stack the drill ran against.
    public struct StackInfo: Sendable, Codable {
        public var kind: String
        public var serviceURL: String
        public var prometheusURL: String?
        public var alertmanagerURL: String?
        /// Why part of the monitoring was missing (alert checks were then skipped).
        public var monitoringGap: String?

    }

    /// One steady-state probe's result.
    public struct ProbeResult: Sendable, Codable {
        public var name: String
        /// The probe's line in the runbook.
        public var line: Int
        public var outcome: Outcome
        /// The measured value (a PromQL sample's worst value, or the HTTP status).
        public var value: Double?
        /// What was checked and what was found, e.g. `0.42 ≤ 0.6` or `HTTP 503, expected 200`.
        public var detail: String
        public var startedAt: Date
        public var endedAt: Date

    }

    /// One method or rollback step's result.
    public struct StepResult: Sendable, Codable {
        /// The step's title: its `name`, or a description such as `expect HighErrorRate firing within 20s`.
        public var title: String
        /// The step kind (`start`, `seed`, `fault`, `load`, `expect_alert`, `act`, `assert`, `wait`).
        public var kind: String
        /// The step's line in the runbook.
        public var line: Int
        public var outcome: Outcome
        /// Whether the step is an expectation (`expect_alert`, `assert`): one JUnit case each.
        public var isExpectation: Bool
        /// What happened, e.g. `HighErrorRate firing after 14.2 s` or the error.
        public var detail: String
        public var startedAt: Date
        public var endedAt: Date

        /// Seconds the step took.
        public var seconds: Double { endedAt.timeIntervalSince(startedAt) }
    }

    /// A moment on the timeline.
    public struct Event: Sendable, Codable {
        /// What kind of moment.
        public enum Kind: String, Sendable, Codable {
            case serviceStarted = "service_started"
            case seeded
            case loadStarted = "load_started"
            case loadStopped = "load_stopped"
            case faultInjected = "fault_injected"
            case faultCleared = "fault_cleared"
            /// The first interval with HTTP 5xx answers after the incident started.
            case firstError = "first_error"
            case alertPending = "alert_pending"
            case alertFiring = "alert_firing"
            /// Alertmanager's notification reached the webhook.
            case notified
            case alertResolved = "alert_resolved"
            /// A remedy: scaling workers (the hotfix), retraining.
            case hotfix
            /// A rolling restart onto another implementation (the patch).
            case patch
            /// The 5xx ratio fell back below 1 % after the first remedy.
            case recovered
            /// An `assert` held for its whole duration.
            case stable
            case stepFailed = "step_failed"
        }

        public var at: Date
        public var kind: Kind
        /// A short label, e.g. `HighErrorRate firing` or `scale to 4 workers, max_requests 400`.
        public var label: String

    }

    /// One sample of the service and the load, taken about every second.
    public struct Point: Sendable, Codable {
        public var at: Date
        /// Live virtual users of the drill's load (0 without load).
        public var users: Int
        /// Requests per second the service answered in the last interval.
        public var requestsPerSecond: Double?
        /// Fraction of those answered 5xx.
        public var errorRatio: Double?
        /// p95 latency of the last interval, seconds.
        public var p95Seconds: Double?
        /// Memory in use (`csv_analyzer_resident_memory_bytes`).
        public var memoryBytes: Double?
        /// The memory budget (`process_memory_limit_bytes`).
        public var memoryLimitBytes: Double?
        /// Alerts Prometheus holds as firing.
        public var firing: [String]

        /// Memory in use as a fraction of the budget.
        public var memoryRatio: Double? {
            guard let memoryBytes, let memoryLimitBytes, memoryLimitBytes > 0 else { return nil }
            return memoryBytes / memoryLimitBytes
        }
    }

    /// Key durations, seconds (nil when the moments did not both happen).
    public struct KeyTimes: Sendable, Codable {
        /// Incident start (first fault, else first load) → first alert firing.
        public var timeToDetect: Double?
        /// Incident start → first notification at the webhook.
        public var timeToNotify: Double?
        /// First remedy (hotfix, patch, cleared fault, or a load started after the first alert
        /// fired) → recovered (5xx back under 1 %), else → the last alert resolved.
        public var timeToRecover: Double?

    }

    public var title: String
    /// The runbook's path as given.
    public var runbook: String
    public var status: Status
    /// Whether the steady state failed after the method (Chaos Toolkit's `deviated`).
    public var deviated: Bool
    public var startedAt: Date
    public var endedAt: Date
    public var stack: StackInfo
    /// Wall-clock seconds per incident second.
    public var timeScale: Double
    public var variables: [String: String]
    public var steadyStateBefore: [ProbeResult]
    public var steadyStateAfter: [ProbeResult]
    public var steps: [StepResult]
    public var rollbacks: [StepResult]
    public var timeline: [Event]
    public var series: [Point]
    public var keyTimes: KeyTimes
    /// Why the run stopped early (the failed step's detail, the interruption), if it did.
    public var reason: String?
    /// How closely the run reproduced the incident its runbook was generated from (a runbook with
    /// an ```` ```incident ```` block); nil otherwise.
    public var fidelity: FidelityScore? = nil
    /// The runbook's diagnosis blocks, run by `diagnose` steps while the fault was active.
    public var diagnoses: [DiagnosisCheck] = []

    /// One diagnosis block's run: did it point at the cause?
    public struct DiagnosisCheck: Sendable, Codable, Equatable {
        /// The block's line in the runbook.
        public var line: Int
        /// The query or command (its first line).
        public var command: String
        /// What it should show (`min=0.9`, `top=feature_cache`, `contains=…`).
        public var expectation: String
        public var outcome: Outcome
        /// What it showed.
        public var detail: String
        public var at: Date
    }

    /// Whether every expectation held: the run completed, the steady state held before and after,
    /// and no step failed. Skipped checks do not fail a run; `skippedCount` reports them.
    public var passed: Bool {
        status == .completed && !deviated
            && !(steadyStateBefore + steadyStateAfter).contains { $0.outcome == .failed }
            && !steps.contains { $0.outcome == .failed }
    }

    /// Checks that were skipped (e.g. alert expectations without Prometheus).
    public var skippedCount: Int {
        (steadyStateBefore + steadyStateAfter).filter { $0.outcome == .skipped }.count
            + steps.filter { $0.isExpectation && $0.outcome == .skipped }.count
    }
}
