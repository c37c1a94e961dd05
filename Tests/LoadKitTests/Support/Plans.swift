@testable import LoadKit

/// Helpers that build small plans against a test server.
enum Plans {
    /// One user class whose single task sends `requests` in order.
    static func sequence(
        _ server: TestServer, _ requests: [RequestSpec], users: Int = 1, spawnRate: Double = 1000,
        runTime: Double = 0.5, wait: WaitTime = .none, stopTimeout: Double = 2, timeout: Double = 5
    ) -> LoadPlan {
        var plan = LoadPlan(
            host: server.url,
            userClasses: [UserClassSpec(name: "U", wait: wait, tasks: [TaskSpec(name: "t", requests: requests)])],
            load: .closed(users: users, spawnRate: spawnRate, runTime: runTime), stopTimeout: stopTimeout)
        plan.http.timeout = timeout
        return plan
    }

    static func get(_ path: String, name: String? = nil) -> RequestSpec {
        RequestSpec(name: name, method: "GET", path: Template(literal: path))
    }
}

/// Runs a plan to completion.
func runToEnd(_ plan: LoadPlan, options: RunOptions = RunOptions(tickInterval: 0.25)) async throws -> RunSummary {
    let run = try LoadRun(plan: plan, options: options)
    return try await run.run()
}

extension RunSummary {
    func entry(_ name: String) -> EntryStats? { stats.entries.first { $0.name == name } }
    func failures(_ name: String) -> [FailureStats] { stats.failures.filter { $0.name == name } }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds passed (generous: a busy machine
/// may be slow, and the test only cares that the event happens).
func waitUntil(timeout: Double = 20, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}
