import Foundation
import LoadKit
import Testing
@testable import FiredrillWeb

/// An open-model scenario from the web UI: the form's `rate`, offered vs achieved in the live frames, the
/// rate changed while it runs, and *Reset stats* starting every open-model statistic over.
@Suite("Load web UI, open model", .serialized)
struct OpenModelWebTests {
    static func constant(rate: Double, maxUsers: Int, path: String = "") -> (String) throws -> LoadPlan {
        { url in
            try LoadPlan.single(url: url + path, load: .constantArrival(rate: rate, duration: 30, preAllocatedUsers: 2, maxUsers: maxUsers))
        }
    }

    @Test("rate starts an arrival-rate test; frames carry offered, achieved and dropped")
    func openModel() async throws {
        let f = try await WebFixture.start(plan: Self.constant(rate: 5, maxUsers: 20))
        defer { Task { await f.stop() } }
        let plan = try await f.get("/plan").json
        #expect(plan["open_model"] as? Bool == true)
        #expect(plan["rate"] as? Double == 5)
        #expect(try await f.post("/swarm", form: ["rate": "0", "host": f.targetURL]).status == 400)
        let start = try await f.post("/swarm", form: ["rate": "40", "run_time": "20s", "host": f.targetURL])
        #expect(start.status == 200)
        #expect(try await eventually { try await f.stats().requests >= 40 })
        let frame = try await f.get("/stats/live").json
        #expect(frame["open_model"] as? Bool == true)
        let arrival = try #require(frame["arrival"] as? [String: Any])
        #expect((arrival["currentTargetRate"] as? Double) == 40)
        let point = try #require(frame["point"] as? [String: Any])
        #expect(point["offered"] is Double && point["achieved"] is Double && point["dropped"] is Double)
        let noRate = try await f.post("/swarm", form: ["user_count": "3"])
        #expect(noRate.status == 400 && (noRate.json["error"] as? [String: Any])?["field"] as? String == "rate")
    }

    @Test("POST /swarm with rate while it runs: the offered rate follows from then on; JSON and CSV agree")
    func changeRate() async throws {
        let f = try await WebFixture.start(plan: Self.constant(rate: 10, maxUsers: 40))
        defer { Task { await f.stop() } }
        #expect(try await f.post("/swarm", form: ["rate": "10", "host": f.targetURL]).status == 200)
        // Three chart points at 10/s, then 40/s.
        #expect(try await eventually { try await Self.points(f).count >= 4 })
        // A point that ends before the change was asked for is all 10/s (its answer may come late).
        let askedAt = Date().timeIntervalSince1970
        let change = try await f.post("/swarm", form: ["rate": "40"])
        #expect(change.status == 200, "\(change.body)")
        let changedAt = Date().timeIntervalSince1970
        #expect(try await eventually {
            let live = try await f.get("/stats/live").json["arrival"] as? [String: Any]
            return live?["currentTargetRate"] as? Double == 40
        })
        #expect(try await eventually(30) { try await Self.points(f).filter { $0.time > changedAt + 1.5 }.count >= 3 })
        f.controller.stop()
        let summary = await f.controller.waitForFinish()

        // Offered per chart point (a count over the point's span): ~10 before, ~40 after. The points that
        // straddle the start or the change are left out; bounds are generous (a loaded machine ticks late,
        // but offered is counted from the schedule, not timed).
        let points = try await Self.points(f)
        let before = points.dropFirst().filter { $0.time < askedAt }.compactMap(\.offered)
        let after = points.filter { $0.time > changedAt + 1.5 }.compactMap(\.offered)
        #expect(!before.isEmpty && !after.isEmpty)
        #expect(before.allSatisfy { (5...16).contains($0) }, "offered before the change: \(before)")
        #expect(Self.median(after) >= 28 && Self.median(after) <= 52, "offered after the change: \(after)")

        // The accounting holds across the change and the stop: every offered iteration started or was
        // dropped (give or take one due on a loop as the stop reached it), and the JSON summary and the
        // stats CSV count the same.
        let arrival = try #require(summary.stats.arrival)
        #expect(abs(arrival.scheduled - (arrival.started + arrival.dropped)) <= 2, "\(arrival)")
        let json = try await f.get("/stats/summary.json").json
        let stats = (json["summary"] as? [String: Any])?["stats"] as? [String: Any]
        let jsonArrival = try #require(stats?["arrival"] as? [String: Any])
        let jsonRequests = (stats?["total"] as? [String: Any])?["requests"] as? Int
        let csv = try await f.get("/stats/requests/csv").body
        let aggregated = try #require(csv.split(whereSeparator: \.isNewline).last?
            .split(separator: ",", omittingEmptySubsequences: false))
        #expect(aggregated[1] == "Aggregated")
        #expect(Int(aggregated[2]) == jsonRequests)
        #expect(jsonArrival["started"] as? Int == jsonRequests, "one request per iteration")
        #expect(jsonArrival["scheduled"] as? Int == arrival.scheduled)
        #expect(jsonArrival["dropped"] as? Int == arrival.dropped)
    }

    @Test("a replay's rate cannot change: 409 naming rate")
    func replayRateRefused() async throws {
        let f = try await WebFixture.start { url in
            let timeline = ReplayTimeline(offsets: [0, 0.5], tasks: [0, 0], loop: true)
            return try LoadPlan.single(url: url, load: .replay(timeline, preAllocatedUsers: 1, maxUsers: 4))
        }
        defer { Task { await f.stop() } }
        #expect(try await f.post("/swarm", form: ["host": f.targetURL]).status == 200)
        let change = try await f.post("/swarm", form: ["rate": "20"])
        #expect(change.status == 409)
        #expect((change.json["error"] as? [String: Any])?["field"] as? String == "rate")
    }

    @Test("POST /stats/reset starts over requests, errors, offered/started/dropped and the schedule lag")
    func resetOpenModel() async throws {
        // 30/s at a target that takes 100 ms and answers 500, with 2 users at most: drops, lag and errors.
        let f = try await WebFixture.start(plan: Self.constant(rate: 30, maxUsers: 2, path: "slow-error"))
        defer { Task { await f.stop() } }
        #expect(try await f.post("/swarm", form: ["host": f.targetURL]).status == 200)
        func live() async throws -> (requests: Int, errors: Int, arrival: [String: Any], lag: Int) {
            let frame = try await f.get("/stats/live").json
            let stats = frame["stats"] as? [String: Any] ?? [:]
            let total = (stats["stats"] as? [[String: Any]])?.last ?? [:]
            let errors = (stats["errors"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["occurrences"] as? Int ?? 0) }
            let arrival = frame["arrival"] as? [String: Any] ?? [:]
            let lag = (arrival["lag"] as? [String: Any])?["count"] as? Int ?? 0
            return (total["num_requests"] as? Int ?? 0, errors, arrival, lag)
        }
        #expect(try await eventually(30) {
            let l = try await live()
            return l.requests >= 30 && l.errors >= 30 && (l.arrival["dropped"] as? Int ?? 0) >= 30 && l.lag >= 30
        })
        let before = try await live()
        // After the reset every count covers only what happened since, bounded by what the test sees
        // itself: requests, errors and started iterations by what the target served since (plus the
        // 2 users' requests in flight at the reset), offered iterations by 30/s times the time since.
        // Without a reset each count includes the 30 or more before it. (Not "below half of before":
        // how far the counts get again before a poll sees them depends on the machine's load.)
        let servedBefore = f.hits
        let resetAsked = ContinuousClock.now
        let reset = try await f.post("/stats/reset")
        #expect(reset.status == 200)
        var after = before
        #expect(try await eventually {
            after = try await live()
            return after.requests <= f.hits - servedBefore + 2
        }, "requests \(before.requests) → \(after.requests), target served \(f.hits - servedBefore) since")
        let servedSince = f.hits - servedBefore
        let since = (ContinuousClock.now - resetAsked).components
        let secondsSince = Double(since.seconds) + Double(since.attoseconds) / 1e18
        #expect(after.errors <= servedSince + 2, "errors \(before.errors) → \(after.errors), served since: \(servedSince)")
        let started = after.arrival["started"] as? Int ?? -1
        let scheduled = after.arrival["scheduled"] as? Int ?? -1
        let dropped = after.arrival["dropped"] as? Int ?? -1
        #expect(started >= 0 && started <= servedSince + 2, "started \(before.arrival["started"] ?? "?") → \(started)")
        #expect(scheduled >= 0 && Double(scheduled) <= 30 * secondsSince + 2,
                "scheduled \(before.arrival["scheduled"] ?? "?") → \(scheduled) in \(secondsSince) s")
        // Offered = started + dropped; give or take the few iterations due just before the reset that a
        // busy loop handled just after it (10: a third of a second of the schedule).
        #expect(dropped >= 0 && dropped <= scheduled - started + 10,
                "dropped \(before.arrival["dropped"] ?? "?") → \(dropped) (scheduled \(scheduled), started \(started))")
        #expect(before.lag >= 30 && after.lag <= started + 2, "schedule-lag samples \(before.lag) → \(after.lag)")
        f.controller.stop()
        let summary = await f.controller.waitForFinish()
        let arrival = try #require(summary.stats.arrival)
        // Iterations in flight at the reset (2 users) may finish after it: a request without a start.
        #expect((arrival.lag?.count ?? 0) <= arrival.started + 2)
        #expect(abs(summary.stats.total.requests - arrival.started) <= 2, "\(summary.stats.total.requests) vs \(arrival.started)")
    }

    struct Point: Decodable {
        var time: Double
        var offered: Double?
    }

    static func points(_ f: WebFixture) async throws -> [Point] {
        try JSONDecoder().decode([Point].self, from: Data(try await f.get("/stats/history").body.utf8))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}
