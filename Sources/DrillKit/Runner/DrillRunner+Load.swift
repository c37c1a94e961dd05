import Foundation
import LoadKit

extension DrillRunner {
    /// Starts a `load` step's scenario in process against the stack's service.
    func startLoad(scenario: String, users: Int?, spawnRate: Double?, runTime: PromDuration?, tags: [String],
                   host: String? = nil, arrival: Step.ArrivalShape? = nil) async throws -> String {
        if state.withLock({ $0.load != nil }) { throw ControlError(message: "a load is already running; stop it first (load: {action: stop})") }
        var path = scenario
        if !scenario.hasPrefix("/") {
            let inBase = options.baseDirectory.appendingPathComponent(scenario).path
            if FileManager.default.fileExists(atPath: inBase) { path = inBase }
        }
        var scenarioPlan = try ScenarioLoader.load(path: path)
        if let arrival {
            // The stages are incident time, like every drill duration.
            scenarioPlan.load = .rampingArrival(
                startRate: arrival.startRate,
                stages: arrival.stages.map { .init(duration: $0.duration * drill.timeScale, target: $0.target) },
                preAllocatedUsers: min(arrival.maxUsers, 100), maxUsers: arrival.maxUsers)
        }
        let target = host ?? stack.serviceURL
        let plan = try Self.loadPlan(scenarioPlan, host: target, users: users, spawnRate: spawnRate,
                                     runTime: runTime.map(wallSeconds), tags: tags)
        let run = try LoadRun(plan: plan, options: RunOptions(threads: 1, preflight: true, logger: options.logger))
        do {
            try await run.start()
        } catch {
            run.stop()
            throw ControlError(message: "load \(scenario): \(error)")
        }
        state.withLock { $0.load = run }
        record(.loadStarted, "load: \(plan.load.summary) (\((scenario as NSString).lastPathComponent))")
        return "\(scenario): \(plan.load.summary)\(tags.isEmpty ? "" : ", tags \(tags.joined(separator: ","))") against \(target)"
    }

    /// The scenario's plan with what a `load` step states, and only that: its users, spawn rate and
    /// shape (stages, arrival rate) survive what the step leaves out. A steady load (closed or
    /// constant-rate) lasts `runTime` seconds if stated, else until the drill stops it (at most 6 h);
    /// a shape of stages keeps its own length.
    static func loadPlan(_ scenario: LoadPlan, host: String, users: Int?, spawnRate: Double?, runTime: Double?,
                         tags: [String]) throws(PlanError) -> LoadPlan {
        var overrides = PlanOverrides()
        overrides.host = host
        overrides.users = users
        overrides.spawnRate = spawnRate
        overrides.tags = tags
        switch scenario.load {
        case .closed, .constantArrival: overrides.runTime = runTime ?? 6 * 3600
        case .stages, .rampingArrival, .replay: overrides.runTime = runTime
        }
        return try overrides.apply(to: scenario)
    }
}
