import Foundation
import LoadKit
import Testing
@testable import FiredrillWeb

/// Locust's REST API of `firedrill load --web`, against a real target on 127.0.0.1.
@Suite("Load web UI API", .serialized)
struct LoadWebAPITests {
    @Test("POST /swarm starts; /stats/requests shows the users and the requests the target served")
    func swarmStartsAndStatsFollow() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        #expect(try await f.stats().state == "ready")
        let answer = try await f.post("/swarm", form: ["user_count": "3", "spawn_rate": "100", "host": f.targetURL])
        #expect(answer.status == 200)
        #expect(answer.json["success"] as? Bool == true)
        #expect(answer.json["host"] as? String == f.targetURL)
        let ramped = try await eventually { let s = try await f.stats(); return s.users == 3 && s.state == "running" }
        #expect(ramped)
        #expect(try await eventually { try await f.stats().requests >= 20 })
        let stop = try await f.post("/stop")
        #expect(stop.json["success"] as? Bool == true)
        #expect(try await eventually { try await f.stats().state == "stopped" })
        let final = try await f.stats()
        // Every request the target served is counted, and nothing else.
        #expect(final.requests == f.hits)
        #expect(final.users == 0)
        let rows = final.json["stats"] as? [[String: Any]] ?? []
        #expect(rows.count == 2)
        #expect(rows.first?["name"] as? String == "/")
        #expect(rows.first?["method"] as? String == "GET")
        for key in ["num_failures", "avg_response_time", "min_response_time", "max_response_time", "current_rps",
                    "current_fail_per_sec", "total_rps", "total_fail_per_sec", "median_response_time", "ninetieth_response_time",
                    "ninety_ninth_response_time", "avg_content_length", "safe_name", "hdr_percentiles"] {
            #expect(rows.first?[key] != nil, "missing \(key)")
        }
        for key in ["current_rps", "total_rps", "fail_ratio", "errors", "current_response_time_percentiles"] {
            #expect(final.json[key] != nil, "missing \(key)")
        }
    }

    @Test("a second /swarm while running moves the user count at its spawn rate, one user at a time")
    func changingUsersFollowsTheSpawnRate() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.post("/swarm", form: ["user_count": "2", "spawn_rate": "100", "host": f.targetURL])
        #expect(try await eventually { try await f.stats().users == 2 })
        let asked = ContinuousClock.now
        let answer = try await f.post("/swarm", form: ["user_count": "6", "spawn_rate": "2"])
        #expect(answer.status == 200)
        var seen: [Int] = []
        _ = try await eventually(30) {
            let users = try await f.stats().users
            if seen.last != users { seen.append(users) }
            return users == 6
        }
        let took = ContinuousClock.now - asked
        // 4 users at 2/s take 1.5 s or more (a loaded machine only makes it longer), and the count
        // never jumps past the target. Which values a poll happens to see depends on the machine.
        #expect(seen.last == 6)
        #expect(took >= .seconds(1), "took \(took), seen: \(seen)")
        #expect(seen.allSatisfy { $0 >= 2 && $0 <= 6 }, "seen: \(seen)")
        let down = try await f.post("/swarm", form: ["user_count": "1", "spawn_rate": "100"])
        #expect(down.status == 200)
        #expect(try await eventually { try await f.stats().users == 1 })
    }

    @Test("bad fields and an unreachable host: 400 naming the field, and nothing starts", arguments: [
        (["user_count": "-1", "spawn_rate": "1"], "user_count", "invalid_field"),
        (["user_count": "abc", "spawn_rate": "1"], "user_count", "invalid_field"),
        (["user_count": "0", "spawn_rate": "1"], "user_count", "invalid_field"),
        (["user_count": "2", "spawn_rate": "0"], "spawn_rate", "invalid_field"),
        (["user_count": "2", "spawn_rate": "1", "host": "ftp://x"], "host", "invalid_field"),
        (["user_count": "2", "spawn_rate": "1", "run_time": "soon"], "run_time", "invalid_field"),
        (["user_count": "2", "spawn_rate": "1", "host": "http://127.0.0.1:1"], "host", "unreachable"),
        // A closed-model scenario has no arrival rate: it was ignored and the test started anyway.
        (["user_count": "2", "spawn_rate": "1", "rate": "40"], "rate", "invalid_field"),
    ])
    func badInputStartsNothing(form: [String: String], field: String, code: String) async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        let answer = try await f.post("/swarm", form: form)
        #expect(answer.status == 400)
        #expect(answer.json["success"] as? Bool == false)
        let error = answer.json["error"] as? [String: Any]
        #expect(error?["field"] as? String == field)
        #expect(error?["code"] as? String == code)
        #expect((answer.json["message"] as? String)?.hasPrefix(field) == true)
        #expect(try await f.stats().state == "ready")
        #expect(f.controller.run == nil)
        #expect(f.hits == 0)
    }

    @Test("the CSV downloads carry Locust's headers and rows")
    func csvDownloads() async throws {
        // singleURL's stop_timeout lets requests in flight at the stop finish (none is a failure).
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.post("/swarm", form: ["user_count": "2", "spawn_rate": "100", "host": f.targetURL])
        #expect(try await eventually { try await f.stats().requests >= 10 })
        _ = try await f.post("/stop")
        #expect(try await eventually { try await f.stats().state == "stopped" })
        let files: [(String, [String])] = [
            ("/stats/requests/csv", LocustCSVWriter.statsHeader),
            ("/stats/failures/csv", LocustCSVWriter.failuresHeader),
            ("/exceptions/csv", LocustCSVWriter.exceptionsHeader),
            ("/stats/requests_full_history/csv", LocustCSVWriter.historyHeader),
        ]
        for (path, header) in files {
            let csv = try await f.get(path)
            #expect(csv.status == 200)
            #expect(csv.header("Content-Type") == "text/csv")
            #expect(csv.header("Content-Disposition")?.hasPrefix("attachment;filename=") == true)
            #expect(csv.body.components(separatedBy: "\r\n").first == header.joined(separator: ","), "\(path)")
        }
        let stats = try await f.get("/stats/requests/csv").body.components(separatedBy: "\r\n")
        #expect(stats[1].hasPrefix("GET,/,"))
        #expect(stats[2].hasPrefix(",Aggregated,\(f.hits),0,"))
        let report = try await f.get("/stats/report")
        #expect(report.status == 200)
        #expect(report.body.contains("<html"))
        let json = try await f.get("/stats/summary.json")
        #expect(((json.json["summary"] as? [String: Any])?["stats"] as? [String: Any]) != nil)
        #expect(try await f.get("/stats/junit.xml").body.contains("<testsuites"))
    }

    @Test("POST /stats/reset starts the counts over while users keep running")
    func resetStats() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.post("/swarm", form: ["user_count": "2", "spawn_rate": "100", "host": f.targetURL])
        #expect(try await eventually { try await f.stats().requests >= 50 })
        // Counted after the reset: at most what the target served since (plus the 2 users' requests in
        // flight at the reset). Without a reset the count includes the 50 or more before it. (Not
        // "fewer than before": at 2 users' pace a slow poll could see the new count pass the old one.)
        let servedBefore = f.hits
        let reset = try await f.post("/stats/reset")
        #expect(reset.status == 200 && reset.body == "ok")
        #expect(try await eventually {
            let counted = try await f.stats().requests
            return counted <= f.hits - servedBefore + 2
        })
        // Users go on, so requests count up again from the reset.
        #expect(try await f.stats().users == 2)
        let afterReset = try await f.stats().requests
        #expect(try await eventually { try await f.stats().requests > afterReset })
    }

    @Test("--web-auth: every route needs the login")
    func basicAuth() async throws {
        let f = try await WebFixture.start(credentials: ("locust", "s3cret:x"))
        defer { Task { await f.stop() } }
        let denied = try await f.get("/stats/requests")
        #expect(denied.status == 401)
        #expect(denied.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        #expect(try await f.get("/stats/requests", auth: "locust:wrong").status == 401)
        #expect(try await f.post("/swarm", form: ["user_count": "1", "spawn_rate": "1"]).status == 401)
        #expect(try await f.get("/stats/requests", auth: "locust:s3cret:x").status == 200)
        #expect(try await f.get("/", auth: "locust:s3cret:x").body.contains("<title>firedrill load</title>"))
    }

    @Test("settings: a non-loopback address needs credentials; user:pass parsing")
    func settings() throws {
        #expect(throws: WebSettingsError.self) { try WebSettings(host: "0.0.0.0").validate() }
        #expect(throws: WebSettingsError.self) { try WebSettings(port: 70000).validate() }
        try WebSettings(host: "0.0.0.0", credentials: ("a", "b")).validate()
        try WebSettings(host: "::1").validate()
        #expect(WebSettings.credentials(parsing: "user:pa:ss")! == ("user", "pa:ss"))
        #expect(WebSettings.credentials(parsing: "nocolon") == nil)
        #expect(WebSettings.credentials(parsing: ":x") == nil)
    }
}
