import Foundation
import Testing
@testable import LoadKit

@Suite(.serialized, .timeLimit(.minutes(1))) struct ScenarioRunTests {
    @Test func templatesExtractionFeedersAndPolling() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let dir = try ScenarioDir(files: ["data/iris.csv": ScenarioDir.iris])
        var plan = try dir.parse("""
            host: \(server.url)
            variables:
              n: {sequence: 1}
            feeders:
              iris: data/iris.csv
            load: {users: 1, spawn_rate: 1, run_time: 1s}
            stop_timeout: 2s
            users:
              - wait: {constant: 0.1}
                on_start:
                  - get: /json
                    extract: {ds: $.id, nested: "$.nested.list[1]", obj: $.nested}
                    checks: {json: [{path: $.status, equals: ready}, {path: $.row_count, equals: 150}]}
                tasks:
                  - requests:
                      - post: /echo?ds=${ds}
                        name: echo
                        json: {dataset: "${ds}", n: "${n}", nested: "${nested}", obj: "${obj}", label: "id-${ds}", row: "${iris.target}", flag: true, none: null, list: [1, "${n}"]}
                        checks: {body_contains: '"dataset":"ds_1"'}
                      - post: /echo
                        name: row
                        json_row: {feeder: iris, exclude: [target]}
                      - get: /poll?id=${user_id}-${iteration}
                        name: poll
                        poll: {until: {path: $.status, equals: ready}, interval: 20ms, max_attempts: 5}
                      - get: /echo
                        name: query
                        query: {q: "a b&c", col: "${iris.sepal length (cm)}"}
                        headers: {X-Iter: "${iteration}"}
            """)
        plan.load = .closed(users: 1, spawnRate: 1, runTime: 30)
        // Until the first iteration's last request was sent (it finishes within the stop timeout).
        let summary = try await runUntil(plan) { _ in server.requests.contains { $0.target.hasPrefix("/echo?q=") } }
        #expect(summary.stats.total.failures == 0, "\(summary.stats.failures)")
        #expect(summary.stats.exceptions.isEmpty, "\(summary.stats.exceptions)")
        let requests = server.requests
        let echoes = requests.filter { $0.target.hasPrefix("/echo?ds=") }
        #expect(echoes.first?.target == "/echo?ds=ds_1")
        #expect(echoes.first?.header("content-type") == "application/json")
        #expect(echoes.first?.body == #"{"dataset":"ds_1","n":1,"nested":2,"obj":{"list":[1,2,3]},"label":"id-ds_1","row":"setosa","flag":true,"none":null,"list":[1,1]}"#)
        if echoes.count > 1 {
            // The sequence advances once per iteration and the sequential feeder moves on.
            #expect(echoes[1].body.contains(#""n":2"#))
            #expect(echoes[1].body.contains(#""row":"versicolor""#))
        }
        let rows = requests.filter { $0.target == "/echo" && $0.method == "POST" }
        #expect(rows.first?.body == #"{"sepal length (cm)":5.1,"sepal width (cm)":3.5,"petal length (cm)":1.4,"petal width (cm)":0.2}"#)
        let queries = requests.filter { $0.target.hasPrefix("/echo?q=") }
        #expect(queries.first?.target == "/echo?q=a%20b%26c&col=5.1")
        #expect(queries.first?.header("X-Iter") == "1")
        // Polling: two "training" answers, then "ready" — three requests per iteration, all successes.
        let poll = try #require(summary.entry("poll"))
        #expect(poll.requests == 3 * (summary.entry("query")?.requests ?? 0) || poll.requests >= 3)
        #expect(requests.filter { $0.target == "/poll?id=0-1" }.count == 3)
    }

    @Test func failedChecksExtractionAndUnsetVariables() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let dir = try ScenarioDir()
        var plan = try dir.parse("""
            host: \(server.url)
            users:
              - tasks:
                  - requests:
                      - get: /json
                        name: wrong-status
                        checks: {json: [{path: $.status, equals: done}]}
                  - requests:
                      - get: /json
                        name: missing
                        extract: {later: $.nope}
                  - requests:
                      - get: /x/${later}
                        name: uses-later
                  - requests:
                      - get: /status/201
                        name: status-set
                        checks: {status: [200, 3xx]}
                      - get: /never
                  - requests:
                      - get: /big
                        name: contains
                        checks: {body_contains: [xxx, yyy]}
                  - requests:
                      - get: /status/404
                        name: allowed-404
                        checks: {status: 404}
            """)
        plan.load = .closed(users: 2, spawnRate: 100, runTime: 30)
        plan.stopTimeout = 5  // requests in flight at the end finish (cut off, they would be StopTimeout failures)
        // Tasks are picked at random: run until each has shown its outcome, not for a fixed time in
        // which a slow machine may pick some task never.
        let summary = try await runUntil(plan) { run in
            let s = run.snapshot
            return Set(s.failures.map(\.name)).isSuperset(of: ["wrong-status", "missing", "status-set", "contains"])
                && s.entries.contains { $0.name == "allowed-404" && $0.requests > 0 } && !s.exceptions.isEmpty
        }
        #expect(summary.failures("wrong-status").first?.error == #"CheckFailed: $.status != "done""#)
        #expect(summary.failures("missing").first?.error == "ExtractError: $.nope not found")
        #expect(summary.failures("status-set").first?.error == "HTTP 201 Status (expected 200, 3xx)")
        #expect(summary.failures("contains").first?.error == #"CheckFailed: body does not contain "yyy""#)
        #expect(summary.entry("allowed-404")?.failures == 0)
        #expect(summary.entry("uses-later") == nil)
        #expect(summary.stats.exceptions.first?.message.contains("variable 'later' is not set") == true)
        // A failed request ends the iteration: /never is never sent.
        #expect(!server.requests.contains { $0.target == "/never" })
    }

    @Test func uniqueFeederStopsUsersWhenExhausted() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let dir = try ScenarioDir(files: ["data/iris.csv": ScenarioDir.iris])
        var plan = try dir.parse("""
            host: \(server.url)
            feeders: {iris: {file: data/iris.csv, mode: unique}}
            users: [{tasks: [{post: /echo, json_row: {feeder: iris}}]}]
            """)
        plan.load = .closed(users: 2, spawnRate: 100, runTime: 30)
        plan.stopTimeout = 5
        // Until a user found the feeder empty (the rows in flight then finish within the stop timeout).
        let summary = try await runUntil(plan) { run in !run.snapshot.exceptions.isEmpty }
        #expect(summary.stats.total.requests == 3)
        let bodies = Set(server.requests.map(\.body))
        #expect(bodies.count == 3)
        #expect(summary.stats.exceptions.first?.message.contains("feeder 'iris' has no rows left") == true)
    }

    @Test func tagsFilterTasks() throws {
        let dir = try ScenarioDir()
        let plan = try dir.parse("""
            host: http://h:1
            users:
              - tasks:
                  - {get: /a, tags: [read]}
                  - {get: /b, tags: [write]}
              - tasks:
                  - {get: /c, tags: [write]}
            """)
        let read = try plan.filteringTags(include: ["read"], exclude: [])
        #expect(read.userClasses.count == 1)
        #expect(read.userClasses[0].tasks.map(\.name) == ["/a"])
        let noWrite = try plan.filteringTags(include: [], exclude: ["write"])
        #expect(noWrite.userClasses.flatMap(\.tasks).map(\.name) == ["/a"])
        #expect(throws: PlanError.self) { try plan.filteringTags(include: ["none"], exclude: []) }
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct SetupTests {
    @Test func setupValuesAreSharedByAllUsers() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = try ScenarioDir().parse("""
            host: \(server.url)
            setup:
              - get: /json
                name: setup-json
                extract: {dataset: $.id}
            users:
              - wait: {constant: 0.05}
                tasks:
                  - get: /use/${dataset}
                    name: use
            """)
        plan.load = .closed(users: 3, spawnRate: 100, runTime: 30)
        let summary = try await runUntil(plan) { _ in server.requests.filter { $0.target.hasPrefix("/use/") }.count >= 3 }
        #expect(summary.entry("setup-json")?.requests == 1)
        #expect((summary.entry("use")?.requests ?? 0) >= 3)
        #expect(server.requests.filter { $0.target == "/json" }.count == 1)
        #expect(server.requests.dropFirst().allSatisfy { $0.target == "/use/ds_1" })
    }

    @Test func failingSetupStopsTheRunBeforeLoad() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = try ScenarioDir().parse("""
            host: \(server.url)
            setup: [{post: /status/500, name: train}]
            users: [{tasks: [{get: /}]}]
            """)
        plan.load = .closed(users: 3, spawnRate: 100, runTime: 0.3)
        await #expect(throws: RunError.self) { try await runToEnd(plan) }
        #expect(server.requests.map(\.target) == ["/status/500"])
    }
}
