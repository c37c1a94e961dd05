import Foundation
import Testing
@testable import LoadKit

@Suite struct WaitTimeTests {
    @Test func locustSemantics() {
        var rng = FastRandom()
        for _ in 0..<100 {
            let d = WaitTime.between(1, 3).delay(afterTaskOf: 5, using: &rng)
            #expect(d >= 1 && d <= 3)
        }
        #expect(WaitTime.constant(2).delay(afterTaskOf: 5, using: &rng) == 2)
        #expect(WaitTime.constantPacing(2).delay(afterTaskOf: 0.5, using: &rng) == 1.5)
        #expect(WaitTime.constantPacing(2).delay(afterTaskOf: 3, using: &rng) == 0)
        #expect(WaitTime.constantThroughput(4).delay(afterTaskOf: 0.05, using: &rng) == 0.2)
        #expect(WaitTime.none.delay(afterTaskOf: 0, using: &rng) == 0)
    }

    @Test func distributesUsersOverClasses() {
        let d = UserDistribution(classes: [
            UserClassSpec(name: "a", weight: 3, tasks: []), UserClassSpec(name: "b", weight: 1, tasks: []),
            UserClassSpec(name: "fixed", fixedCount: 2, tasks: []),
        ])
        #expect(d.counts(for: 10) == [6, 2, 2])
        #expect(d.counts(for: 1) == [0, 0, 1])
        #expect(d.counts(for: 3) == [1, 0, 2])
        var current = [0, 0, 0]
        for _ in 0..<10 {
            let next = d.nextToSpawn(current: current)!
            current[next] += 1
        }
        #expect(current == [6, 2, 2])
        while current.reduce(0, +) > 3 {
            current[d.nextToStop(current: current)!] -= 1
        }
        #expect(current == [1, 0, 2])
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct WaitAndShapeRunTests {
    @Test func constantPacingStartsTasksOnSchedule() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let paced = try await runToEnd(Plans.sequence(
            server, [Plans.get("/stall?ms=150")], runTime: 0.95, wait: .constantPacing(0.2), stopTimeout: 1))
        let constant = try await runToEnd(Plans.sequence(
            server, [Plans.get("/stall?ms=150")], runTime: 0.95, wait: .constant(0.2), stopTimeout: 1))
        // Pacing: a task starts every 0.2 s (t = 0, 0.2 … 0.8: 5 tasks); a constant 0.2 s wait after a
        // 0.15 s task: every 0.35 s (t = 0, 0.35, 0.7: 3 tasks). One more each when a busy machine delays
        // the stop past the next start (counts, not clock readings, are compared).
        #expect((4...6).contains(paced.stats.total.requests), "paced \(paced.stats.total.requests)")
        #expect((2...4).contains(constant.stats.total.requests), "constant \(constant.stats.total.requests)")
        #expect(paced.stats.total.requests > constant.stats.total.requests)
    }

    @Test func stagesRampHoldAndRampDown() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = Plans.sequence(server, [Plans.get("/")], wait: .constant(0.05))
        plan.load = .stages([.init(duration: 0.6, users: 4, spawnRate: 100), .init(duration: 0.6, users: 1, spawnRate: 100),
                             .init(duration: 0.4, users: 3)])
        let run = try LoadRun(plan: plan, options: RunOptions(tickInterval: 0.1))
        try await run.start()
        let summary = await run.wait()
        // The engine's own per-tick history (its clock, not this test's), so a busy machine that
        // delays the test's thread cannot misplace the samples.
        let samples = summary.history.map { ($0.elapsed, $0.users) }
        func users(at t: Double) -> Int { samples.min { abs($0.0 - t) < abs($1.0 - t) }?.1 ?? -1 }
        #expect(users(at: 0.4) == 4, "\(samples)")
        #expect(users(at: 1.0) == 1, "\(samples)")
        // The last stage ramps 1 → 3 over 0.4 s (5 users/s): about 2 users by its end.
        #expect((1...3).contains(users(at: 1.45)), "\(samples)")
        #expect(summary.endReason == "completed")
        #expect(summary.duration >= 1.6, "the three stages last 1.6 s")
    }
}

@Suite struct HealthMonitorTests {
    @Test func lagWarnsOnlyWhenItPersistsOrIsLong() {
        var m = HealthMonitor()
        m.start(threads: 1)
        #expect(m.sample(lagNanos: 60_000_000, maxLagNanos: 0, elapsed: 1).warnings.isEmpty)
        #expect(m.sample(lagNanos: 1_000_000, maxLagNanos: 0, elapsed: 2).warnings.isEmpty)
        let twice = m.sample(lagNanos: 60_000_000, maxLagNanos: 0, elapsed: 3)
        #expect(twice.warnings.isEmpty)
        let third = m.sample(lagNanos: 70_000_000, maxLagNanos: 0, elapsed: 4)
        #expect(third.warnings.count == 1 && third.saturated)
        #expect(third.maxLoopLagMs == 70)
        var once = HealthMonitor()
        once.start(threads: 1)
        #expect(once.sample(lagNanos: 300_000_000, maxLagNanos: 0, elapsed: 1).warnings.count == 1)
        // While stopping, lag is expected and not judged.
        var stopping = HealthMonitor()
        stopping.start(threads: 1)
        let s = stopping.sample(lagNanos: 900_000_000, maxLagNanos: 0, elapsed: 9, judge: false)
        #expect(s.warnings.isEmpty && !s.saturated && s.maxLoopLagMs == 0)
    }
}
