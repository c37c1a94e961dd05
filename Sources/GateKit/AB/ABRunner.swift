import Foundation
import FiredrillSupport
import LoadKit

/// `firedrill ab`: runs one scenario against two targets in alternating rounds (ABBA…) on this
/// machine, each round a short in-process `LoadRun`, then compares the pairs of rounds.
public struct ABRunner: Sendable {
    /// The scenario, as loaded (its host is replaced by each target's URL).
    public var plan: LoadPlan
    /// The base side.
    public var a: ABTarget
    /// The new side.
    public var b: ABTarget
    /// Rounds in all (even: every A round has its B partner).
    public var rounds: Int
    /// Seconds each round runs.
    public var roundTime: Double
    /// Event-loop threads per round.
    public var threads: Int
    /// Where services' logs and, when `keepRounds`, each round's JSON summary go.
    public var workDir: URL
    /// Write `round-NN-A.json` … into `workDir`.
    public var keepRounds: Bool
    /// How long a started service may take to answer its readiness URL.
    public var readyTimeout: Duration

    /// Creates a runner.
    public init(plan: LoadPlan, a: ABTarget, b: ABTarget, rounds: Int, roundTime: Double, threads: Int = 1,
                workDir: URL, keepRounds: Bool = false, readyTimeout: Duration = .seconds(30)) {
        self.plan = plan
        self.a = a
        self.b = b
        self.rounds = rounds
        self.roundTime = roundTime
        self.threads = threads
        self.workDir = workDir
        self.keepRounds = keepRounds
        self.readyTimeout = readyTimeout
    }

    /// Starts the services, runs the rounds, stops the services (whatever happens) and compares.
    /// `progress` receives one line per round.
    public func run(settings: GateSettings, progress: @Sendable (String) -> Void = { _ in }) async throws -> ComparisonReport {
        guard rounds >= 2, rounds % 2 == 0 else { throw GateRunError("--rounds must be even and at least 2 (got \(rounds))") }
        try? FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        var children: [ChildProcess] = []
        do {
            for target in [a, b] {
                if let child = try await ServiceLauncher.start(target, logDir: workDir, timeout: readyTimeout) {
                    children.append(child)
                }
            }
            let records = try await runRounds(progress: progress)
            for c in children { await c.terminate(grace: .seconds(3)) }
            let pairs = stride(from: 0, to: records.count - 1, by: 2).map { i in
                records[i].isA ? (a: records[i].record, b: records[i + 1].record)
                    : (a: records[i + 1].record, b: records[i].record)
            }
            return try PairedComparison.compare(pairs: pairs, aLabel: "A \(a.url)", bLabel: "B \(b.url)", settings: settings)
        } catch {
            for c in children { await c.terminate(grace: .seconds(3)) }
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    private func runRounds(progress: @Sendable (String) -> Void) async throws -> [(isA: Bool, record: RunRecord)] {
        var out: [(Bool, RunRecord)] = []
        for (i, isA) in ABSchedule.order(rounds: rounds).enumerated() {
            try Task.checkCancellation()
            let target = isA ? a : b
            var overrides = PlanOverrides()
            overrides.host = target.url
            overrides.runTime = roundTime
            let roundPlan = try overrides.apply(to: plan)
            let summary: RunSummary
            do {
                summary = try await LoadRun(plan: roundPlan, options: RunOptions(threads: threads)).run()
            } catch {
                throw GateRunError("round \(i + 1) (\(target.label), \(target.url)): \(error)")
            }
            let data = try JSONReport(plan: roundPlan, summary: summary).encoded()
            if keepRounds {
                try data.write(to: workDir.appendingPathComponent("round-\(String(format: "%02d", i + 1))-\(target.label).json"))
            }
            let t = summary.stats.total
            progress("round \(i + 1)/\(rounds) \(target.label): \(t.requests) requests, "
                     + String(format: "%.1f req/s, p95 %.2f ms, ", t.rps, t.percentile(95)) + "\(t.failures) failed")
            out.append((isA, try RunRecord.decode(data, path: "round \(i + 1)")))
        }
        return out
    }
}
