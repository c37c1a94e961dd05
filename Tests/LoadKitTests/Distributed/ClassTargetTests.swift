import Foundation
import Testing
@testable import LoadKit

@Suite struct ClassTargetTests {
    /// Two classes of equal weight; the counts per class come from `setUsers(byClass:)`, not the weights.
    @Test func usersFollowPerClassTargetsThenWeightsAgain() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = Plans.sequence(server, [Plans.get("/a")], wait: .constant(0.05))
        plan.userClasses.append(UserClassSpec(name: "B", wait: .constant(0.05), tasks: [TaskSpec(name: "b", requests: [Plans.get("/b")])]))
        plan.load = .closed(users: 0, spawnRate: 1, runTime: nil)
        let run = try LoadRun(plan: plan, options: RunOptions(preflight: false, tickInterval: 0.05))
        try await run.start()
        run.setUsers(byClass: ["U": 5, "B": 1], spawnRate: .infinity)
        #expect(await waitUntil { run.snapshot.usersByClass == ["U": 5, "B": 1] })
        run.setUsers(byClass: ["U": 1, "B": 3], spawnRate: .infinity)
        #expect(await waitUntil { run.snapshot.usersByClass == ["U": 1, "B": 3] })
        // Back to a plain total: shared by weight (1:1).
        run.setUsers(6, spawnRate: .infinity)
        #expect(await waitUntil { run.snapshot.usersByClass == ["U": 3, "B": 3] })
        run.stop()
        let summary = await run.wait()
        #expect(summary.entry("/a")?.requests ?? 0 > 0)
        #expect(summary.entry("/b")?.requests ?? 0 > 0)
    }

    @Test func intervalsAddUpToTheRun() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/a")], users: 2, runTime: 0.6, wait: .constant(0.01))
        let seen = IntervalTally()
        var options = RunOptions(tickInterval: 0.1)
        options.onInterval = { seen.add($0) }
        let summary = try await runToEnd(plan, options: options)
        #expect(seen.requests == summary.stats.total.requests)
        #expect(seen.bucketed == summary.stats.total.requests)
    }
}

/// Sums the deltas handed to `onInterval`.
final class IntervalTally: @unchecked Sendable {
    private let lock = NSLock()
    private var r = 0
    private var b = 0
    func add(_ d: IntervalDelta) {
        lock.lock()
        defer { lock.unlock() }
        r += d.total.requests
        b += Int(d.total.latencies.reduce(0) { $0 + $1.count })
    }
    var requests: Int { lock.lock(); defer { lock.unlock() }; return r }
    var bucketed: Int { lock.lock(); defer { lock.unlock() }; return b }
}
