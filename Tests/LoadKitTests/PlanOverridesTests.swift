import Testing
@testable import LoadKit

@Suite struct PlanOverridesTests {
    func base(_ load: LoadProfile) throws -> LoadPlan {
        var p = try LoadPlan.single(url: "http://127.0.0.1:8000/healthz", load: load)
        p.thresholds = [try Threshold("p(95) < 1s")]
        return p
    }

    @Test func locustFlagsOverrideTheFile() throws {
        var o = PlanOverrides()
        o.users = 50
        o.spawnRate = 10
        o.runTime = 30
        o.host = "http://127.0.0.1:9"
        o.stopTimeout = 5
        o.thresholds = [try Threshold.parseFlag("/healthz: rate(failed) < 0.01")]
        let p = try o.apply(to: try base(.closed(users: 1, spawnRate: 1, runTime: nil)))
        #expect(p.load == .closed(users: 50, spawnRate: 10, runTime: 30))
        #expect(p.host == "http://127.0.0.1:9")
        #expect(p.stopTimeout == 5)
        #expect(p.thresholds.count == 2 && p.thresholds[1].name == "/healthz")
        // Flags left out keep the file's values.
        var only = PlanOverrides()
        only.runTime = 5
        #expect(try only.apply(to: try base(.closed(users: 7, spawnRate: 2, runTime: 60))).load
            == .closed(users: 7, spawnRate: 2, runTime: 5))
    }

    @Test func shapesAndOpenModel() throws {
        var o = PlanOverrides()
        o.users = 30
        let shaped = try o.apply(to: try base(.stages([.init(duration: 10, users: 5), .init(duration: 5, users: 0)])))
        #expect(shaped.load == .closed(users: 30, spawnRate: 30, runTime: 15))
        var rate = PlanOverrides()
        rate.arrivalRate = 25
        rate.runTime = 10
        #expect(try rate.apply(to: try base(.closed(users: 1, spawnRate: 1, runTime: nil))).load
            == .constantArrival(rate: 25, duration: 10, preAllocatedUsers: 25, maxUsers: 250))
        var shorter = PlanOverrides()
        shorter.runTime = 3
        shorter.maxUsers = 7
        #expect(try shorter.apply(to: try base(.constantArrival(rate: 5, duration: 60, preAllocatedUsers: 2, maxUsers: 50))).load
            == .constantArrival(rate: 5, duration: 3, preAllocatedUsers: 2, maxUsers: 7))
    }

    @Test func badOverridesAreRefused() throws {
        var o = PlanOverrides()
        o.host = "not a url"
        #expect(throws: PlanError.self) { try o.apply(to: try base(.closed(users: 1, spawnRate: 1, runTime: 1))) }
        var r = PlanOverrides()
        r.spawnRate = 0
        #expect(throws: PlanError.self) { try r.apply(to: try base(.closed(users: 1, spawnRate: 1, runTime: 1))) }
        var a = PlanOverrides()
        a.arrivalRate = 5
        #expect(throws: PlanError.self) { try a.apply(to: try base(.closed(users: 1, spawnRate: 1, runTime: nil))) }
        #expect(throws: PlanError.self) { try LoadPlan.single(url: "ftp://x", load: .closed(users: 1, spawnRate: 1, runTime: 1)) }
    }
}
