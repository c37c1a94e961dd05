import Foundation
import Testing
@testable import LoadKit

@Suite struct ReplayPlanTests {
    static func request(_ t: Double, _ target: String, method: String = "GET", headers: [RecordedRequest.Header] = [],
                        line: Int = 1) -> RecordedRequest {
        RecordedRequest(time: 1_796_292_000 + t, method: method, target: target, headers: headers, line: line)
    }

    static func log(_ requests: [RecordedRequest], format: LogFormat = .jsonLines) -> TrafficLog {
        TrafficLog(format: format, requests: requests, rejectedCount: 0, rejected: [])
    }

    @Test func offsetsSpeedAndOneTaskPerDistinctRequest() throws {
        let log = Self.log([
            Self.request(0, "/a"), Self.request(0.5, "/b/17"), Self.request(2, "/a"), Self.request(4, "/b/18"),
        ])
        var settings = ReplaySettings()
        settings.speed = 2
        let replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.offsets == [0, 0.25, 1, 2])
        guard case .replay(let timeline, _, let maxUsers) = replay.plan.load else {
            Issue.record("not a replay plan")
            return
        }
        #expect(timeline.tasks == [0, 1, 0, 2])
        #expect(maxUsers == 10)
        let tasks = replay.plan.userClasses[0].tasks
        #expect(tasks.map { $0.requests[0].name } == ["/a", "/b/{id}", "/b/{id}"])
        #expect(tasks[1].requests[0].path.source == "/b/17")
    }

    /// `--speed 1e-300` stretched a 4 s log to 4e+300 s: the summary line and `--to-scenario` trapped.
    @Test func aSpeedThatStretchesTheReplayPastAYearIsRefused() throws {
        let log = Self.log([Self.request(0, "/a"), Self.request(4, "/b")])
        var settings = ReplaySettings()
        settings.speed = 1e-300
        #expect { try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings) } throws: {
            "\($0)" == "--speed 1e-300 stretches the replay to 4e+300s, longer than 1y"
        }
        settings.speed = 1e-7  // 4e7 s, past 1y
        #expect(throws: ReplayError.self) { try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings) }
        settings.speed = 1e-6  // 4e6 s: a long replay, still taken
        #expect(try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings).offsets == [0, 4e6])
        #expect(NumberFormat.duration(1e300) == "1e+300s")
    }

    @Test func windowSelectsASliceByOffsetOrAbsoluteTime() throws {
        let log = Self.log((0..<200).map { Self.request(Double($0), "/r?i=\($0)") })
        var settings = ReplaySettings()
        settings.window = try ReplayWindow("01:40..02:00")
        var replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.requests.count == 20)
        #expect(replay.requests.first?.target == "/r?i=100")
        #expect(replay.offsets.first == 0 && replay.offsets.last == 19)
        settings.window = try ReplayWindow("2026-12-03T10:03:10Z..")
        replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.requests.count == 10)
        settings.window = try ReplayWindow("90s..")
        replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.requests.count == 110)
        settings.window = try ReplayWindow("10:00..11:00")
        #expect(throws: ReplayError.self) { try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings) }
        #expect(throws: ReplayError.self) { try ReplayWindow("01:40") }
        #expect(throws: ReplayError.self) { try ReplayWindow("soon..later") }
    }

    @Test func rewriteAndScrub() throws {
        let secret = [RecordedRequest.Header(name: "Authorization", value: "Bearer x"),
                      RecordedRequest.Header(name: "Cookie", value: "sid=1"),
                      RecordedRequest.Header(name: "Host", value: "prod.example"),
                      RecordedRequest.Header(name: "X-Tenant", value: "acme")]
        let log = Self.log([Self.request(0, "/users/12345/orders?email=a@b.c", headers: secret)])
        var settings = ReplaySettings()
        settings.rewrites = [try .init("/users/[0-9]+=/users/42"), try .init("/(orders)=/$1-v2")]
        var replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.requests[0].target == "/users/42/orders-v2?email=a@b.c")
        #expect(replay.requests[0].headers.map(\.name) == ["Authorization", "Cookie", "X-Tenant"])
        settings.scrub = true
        replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.requests[0].target == "/users/42/orders-v2")
        #expect(replay.requests[0].headers.map(\.name) == ["X-Tenant"])
        #expect(throws: ReplayError.self) { try ReplaySettings.Rewrite("no-equals-sign") }
        #expect(throws: ReplayError.self) { try ReplaySettings.Rewrite("([=x") }
        // `=` inside a group belongs to the regex.
        #expect(try ReplaySettings.Rewrite("(?<k>a=b)=c").apply("xa=by") == "xcy")
        #expect(try ReplaySettings.Rewrite(#"id\=[0-9]+=id=42"#).apply("/x?id=7&b=1") == "/x?id=42&b=1")
    }

    @Test func wholeSecondTimestampsAreSpreadOverTheirSecond() throws {
        let log = Self.log([Self.request(0, "/a"), Self.request(0, "/b"), Self.request(0, "/c"), Self.request(0, "/d"),
                            Self.request(3, "/e")], format: .combined)
        var replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: ReplaySettings())
        #expect(replay.offsets == [0, 0.25, 0.5, 0.75, 3])
        #expect(replay.peakPerSecond == 4)
        var settings = ReplaySettings()
        settings.spreadSeconds = false
        replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        #expect(replay.offsets == [0, 0, 0, 0, 3])
    }

    @Test func timelineLoopsAndStopsAtTheLimit() {
        // Ten requests 0.1 s apart: a pass lasts 0.9 s plus one mean gap, 1 s.
        let offsets = (0..<10).map { Double($0) / 10 }
        let once = ReplayTimeline(offsets: offsets, tasks: Array(0..<10))
        #expect(once.time(ofIteration: 9) == 0.9)
        #expect(once.time(ofIteration: 10) == nil)
        #expect(once.count(at: 0.45) == 5)
        let looping = ReplayTimeline(offsets: offsets, tasks: Array(0..<10), loop: true, limit: 2.5)
        #expect(abs((looping.time(ofIteration: 13) ?? 0) - 1.3) < 1e-9)
        #expect(looping.task(ofIteration: 13) == 3)
        #expect(looping.time(ofIteration: 25) == nil)
        #expect(looping.count(at: 100) == 25)
        #expect(looping.duration == 2.5)
        let endless = ReplayTimeline(offsets: offsets, tasks: Array(0..<10), loop: true)
        #expect(endless.duration == .infinity)
        #expect(LoadProfile.replay(endless, preAllocatedUsers: 1, maxUsers: 1).plannedDuration == nil)
        #expect(endless.time(ofIteration: 1_000_000) != nil)
    }

    @Test func runTimeOverrideBoundsAReplay() throws {
        let log = Self.log((0..<10).map { Self.request(Double($0) / 10, "/x") })
        var settings = ReplaySettings()
        settings.loop = true
        let replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: settings)
        var overrides = PlanOverrides()
        overrides.runTime = 2.5
        let plan = try overrides.apply(to: replay.plan)
        guard case .replay(let timeline, _, _) = plan.load else {
            Issue.record("not a replay")
            return
        }
        #expect(timeline.limit == 2.5 && timeline.loop)
        #expect(plan.load.plannedDuration == 2.5)
    }

    @Test func routeNames() {
        #expect(RouteName.of("/api/users/123/orders?x=1") == "/api/users/{id}/orders")
        #expect(RouteName.of("/api/models/0f8fad5b-d9cb-469f-a165-70867728950e") == "/api/models/{id}")
        #expect(RouteName.of("/blob/9f86d081884c7d65") == "/blob/{id}")
        #expect(RouteName.of("/api/v2/datasets") == "/api/v2/datasets")
        #expect(RouteName.of("/static/app.css") == "/static/app.css")
    }
}
