@testable import LoadKit

/// Helpers that build small plans against a test server.
enum Plans {
    /// One user class whose single task sends `requests` in order. The request and stop timeouts are
    /// generous (a loaded machine can hold a response for seconds, and a request in flight at the stop
    /// that is cut off counts as a failure); tests of timeouts set their own.
    static func sequence(
        _ server: TestServer, _ requests: [RequestSpec], users: Int = 1, spawnRate: Double = 1000,
        runTime: Double? = 0.5, wait: WaitTime = .none, stopTimeout: Double = 30, timeout: Double = 30
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

/// Runs `plan` until `condition` holds (polled, at most `timeout` seconds), then stops it the graceful
/// way (requests in flight finish within `stop_timeout`) and returns the summary. For tests that need
/// some traffic to have happened: a fixed run time is a guess at how much a loaded machine gets done,
/// an event is not. The plan's own run time, if any, should be long (it only ends a stuck test).
func runUntil(
    _ plan: LoadPlan, options: RunOptions = RunOptions(tickInterval: 0.25), timeout: Double = 30,
    _ condition: (LoadRun) -> Bool
) async throws -> RunSummary {
    let run = try LoadRun(plan: plan, options: options)
    try await run.start()
    _ = await waitUntil(timeout: timeout) { condition(run) }
    run.stop()
    return await run.wait()
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
