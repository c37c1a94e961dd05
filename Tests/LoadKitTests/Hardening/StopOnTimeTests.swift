import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import LoadKit

/// Issue #18: `-t` is honoured at any scale, user counts the machine cannot hold are refused before
/// the start, and `setup` is bounded by `setup_timeout`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct StopOnTimeTests {
    @Test func aStopWaitsForAtMostOneSpawnBatch() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        // Both ends of every connection live in this process: stay well inside its descriptors.
        let users = min(4000, UserCapacity.current().descriptorUsers / 3)
        #expect(users > 2 * LoadRun.spawnBatch, "too few descriptors to queue starts ahead of the stop")
        // Spawn rate 0: every user is due at once, as with `-u 100000 -r 100000`. Before the fix all of
        // them were handed to the event loop in one task, and the stop queued behind every start.
        let plan = Plans.sequence(server, [Plans.get("/")], users: users, spawnRate: 0, runTime: 60, stopTimeout: 0)
        let run = try LoadRun(plan: plan, options: RunOptions(tickInterval: 0.25))
        try await run.start()
        run.stop()
        let summary = await run.wait()
        #expect(summary.endReason == "stopped")
        // Counted by the engine, not timed: the starts the event loop still ran once the stop was sent.
        let behind = run.stopProbe.startsBehindStop.load(ordering: .relaxed)
        #expect(behind <= LoadRun.spawnBatch, "the stop waited behind \(behind) of \(users) queued user starts")
    }

    @Test func absurdUserCountsAreRefusedWithTheReason() throws {
        let fds = UserCapacity(descriptorLimit: 20_000, descriptorsInUse: 12, availableMemory: 1 << 40)
        #expect(fds.descriptorUsers == 20_000 - 12 - UserCapacity.reservedDescriptors)
        #expect(throws: Never.self) { try fds.check(users: fds.descriptorUsers) }
        let tooMany = #expect(throws: CapacityError.self) { try fds.check(users: 100_000) }
        #expect(tooMany?.reason.contains("only 19924 are free (RLIMIT_NOFILE 20000") == true, "\(String(describing: tooMany))")
        let memory = UserCapacity(descriptorLimit: .max, descriptorsInUse: 0, availableMemory: 1 << 30)
        let huge = #expect(throws: CapacityError.self) { try memory.check(users: 1_000_000_000_000) }
        #expect(huge?.description == """
            1000000000000 users cannot run on this machine: they need about 14.6 PiB of memory (16 KiB per user) \
            but 1.0 GiB is available
            """)

        // The engine refuses such a plan before anything connects.
        let plan = try LoadPlan.single(url: "http://127.0.0.1:1/", load: .closed(users: 1_000_000_000_000, spawnRate: 1, runTime: 1))
        #expect { try LoadRun(plan: plan) } throws: { error in
            (error as? PlanError)?.message.contains("1000000000000 users cannot run on this machine") == true
        }
        var open = plan
        open.load = .constantArrival(rate: 10, duration: 1, preAllocatedUsers: 1, maxUsers: Int.max / 2)
        #expect(throws: PlanError.self) { try LoadRun(plan: open) }
    }

    @Test func theSoftDescriptorLimitIsRaisedToTheHardOne() throws {
        let capacity = UserCapacity.current()
        var limit = rlimit()
        #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        #expect(limit.rlim_cur == limit.rlim_max)
        #expect(capacity.descriptorsInUse > 0)
    }

    @Test func setupIsBoundedBySetupTimeout() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = Plans.sequence(server, [Plans.get("/")], timeout: 30)
        plan.setup = [Plans.get("/hang")]  // accepted, never answered; the request's own timeout is 30 s
        plan.setupTimeout = 0.3
        let run = try LoadRun(plan: plan)
        await #expect { try await run.start() } throws: { error in
            "\(error)" == "setup failed: did not finish within 0.3s (setup_timeout)"
        }
        #expect(server.requests.filter { $0.target == "/" }.isEmpty, "no user started")
    }
}
