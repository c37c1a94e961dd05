import Foundation
import Testing
@testable import LoadKit

@Suite struct ArrivalScheduleTests {
    @Test func constantRate() throws {
        let s = ArrivalSchedule(rate: 10, duration: 2)
        #expect(s.totalCount == 20)
        #expect(s.time(ofIteration: 0) == 0)
        #expect(abs((s.time(ofIteration: 5) ?? 0) - 0.5) < 1e-9)
        #expect(s.time(ofIteration: 19) != nil)
        #expect(s.time(ofIteration: 20) == nil)
        #expect(s.count(at: 0) == 1)
        #expect(s.count(at: 0.95) == 10)
        #expect(s.count(at: 5) == 20)
        #expect(s.rate(at: 1) == 10)
    }

    @Test func rampingRate() throws {
        // 0 → 20/s over 10 s (100 iterations), then 20 → 0 over 10 s (100 more).
        let s = ArrivalSchedule(startRate: 0, stages: [.init(duration: 10, target: 20), .init(duration: 10, target: 0)])
        #expect(s.totalCount == 200)
        #expect(abs(s.rate(at: 5) - 10) < 1e-9)
        #expect(abs(s.rate(at: 15) - 10) < 1e-9)
        // N(t) = t² in the first stage: iteration 25 is due at t = 5.
        #expect(abs((s.time(ofIteration: 25) ?? 0) - 5) < 1e-6)
        #expect(abs((s.time(ofIteration: 100) ?? 0) - 10) < 1e-6)
        var last = -1.0
        for k in 0..<200 {
            let t = try #require(s.time(ofIteration: k), "iteration \(k)")
            #expect(t >= last)
            last = t
        }
        #expect(s.time(ofIteration: 200) == nil)
        #expect(s.count(at: 5) == 26)
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct OpenModelTests {
    func plan(_ server: TestServer, rate: Double, duration: Double, maxUsers: Int, pre: Int) -> LoadPlan {
        var p = Plans.sequence(server, [Plans.get("/")], stopTimeout: 3)
        p.load = .constantArrival(rate: rate, duration: duration, preAllocatedUsers: pre, maxUsers: maxUsers)
        return p
    }

    @Test func stalledServerShowsInPercentiles() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let run = try LoadRun(plan: plan(server, rate: 50, duration: 2, maxUsers: 200, pre: 5),
                              options: RunOptions(tickInterval: 0.25))
        try await run.start()
        try await Task.sleep(nanoseconds: 600_000_000)
        server.stallAll(for: 0.6)
        let summary = await run.wait()
        let total = summary.stats.total
        let arrival = try #require(summary.stats.arrival)
        #expect(arrival.scheduled == 100)
        #expect(arrival.started == 100 && arrival.dropped == 0)
        #expect(total.requests == 100)
        // ~30 of 100 iterations were due during the stall; each counts from its scheduled start,
        // so the 90th percentile sits well inside the stall, and the worst is the whole stall.
        #expect(total.percentile(90) > 200, "p90=\(total.percentile(90))")
        #expect(total.maxMs > 450 && total.maxMs < 1500, "max=\(total.maxMs)")
        #expect(total.percentile(50) < 100)
        #expect(abs(arrival.offeredRate - 50) < 5)
    }

    @Test func busyUsersDropIterations() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let run = try LoadRun(plan: plan(server, rate: 40, duration: 1.5, maxUsers: 4, pre: 4),
                              options: RunOptions(tickInterval: 0.25))
        try await run.start()
        try await Task.sleep(nanoseconds: 300_000_000)
        server.stallAll(for: 0.6)
        let summary = await run.wait()
        let arrival = try #require(summary.stats.arrival)
        #expect(arrival.scheduled == 60)
        #expect(arrival.dropped > 10, "dropped \(arrival.dropped)")
        #expect(arrival.started + arrival.dropped == 60)
        #expect(summary.stats.total.requests == arrival.started)
        #expect(arrival.achievedRate < arrival.offeredRate)
    }

    @Test func closedModelHidesTheStallThatOpenModelShows() async throws {
        // The same stall against one closed-model user: only one request waits, so percentiles barely move.
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let closed = Plans.sequence(server, [Plans.get("/")], users: 1, runTime: 2, wait: .constant(0.02), stopTimeout: 3)
        let run = try LoadRun(plan: closed, options: RunOptions(tickInterval: 0.25))
        try await run.start()
        try await Task.sleep(nanoseconds: 600_000_000)
        server.stallAll(for: 0.6)
        let summary = await run.wait()
        #expect(summary.stats.total.percentile(90) < 100, "p90=\(summary.stats.total.percentile(90))")
        #expect(summary.stats.total.maxMs > 450)
    }
}
