import Testing
@testable import LoadKit

@Suite struct SegmentTests {
    @Test(arguments: [1, 2, 3, 4, 7])
    func sharesAddUpToTheWhole(count: Int) {
        let closed = LoadProfile.closed(users: 41, spawnRate: 10, runTime: 30)
        var users = 0
        var rate = 0.0
        for i in 0..<count {
            guard case .closed(let u, let r, let t) = closed.segment(i, of: count) else { Issue.record("not closed"); return }
            users += u
            rate += r
            #expect(t == 30)
        }
        #expect(users == 41)
        #expect(abs(rate - 10) < 1e-9)
    }

    @Test func arrivalRatesAndStagesAreDivided() {
        let open = LoadProfile.constantArrival(rate: 400, duration: 10, preAllocatedUsers: 40, maxUsers: 200)
        guard case .constantArrival(let r, let d, let pre, let maxUsers) = open.segment(3, of: 4) else {
            Issue.record("not open")
            return
        }
        #expect(r == 100 && d == 10 && pre == 10 && maxUsers == 50)
        let stages = LoadProfile.stages([.init(duration: 5, users: 10), .init(duration: 5, users: 3, spawnRate: 2)])
        let shares = (0..<3).map { stages.segment($0, of: 3) }
        var sums = [0, 0]
        for case .stages(let s) in shares {
            sums[0] += s[0].users
            sums[1] += s[1].users
            #expect(s[1].spawnRate.map { abs($0 - 2.0 / 3) < 1e-9 } == true)
        }
        #expect(sums == [10, 3])
        let ramp = LoadProfile.rampingArrival(startRate: 8, stages: [.init(duration: 5, target: 40)], preAllocatedUsers: 1, maxUsers: 4)
        guard case .rampingArrival(let start, let st, let p, _) = ramp.segment(0, of: 4) else { Issue.record("not ramping"); return }
        #expect(start == 2 && st[0].target == 10 && p == 1)
    }

    @Test func oneShareOrABadIndexIsTheWhole() {
        let closed = LoadProfile.closed(users: 5, spawnRate: 1, runTime: nil)
        #expect(closed.segment(0, of: 1) == closed)
        #expect(closed.segment(4, of: 4) == closed)
    }
}
