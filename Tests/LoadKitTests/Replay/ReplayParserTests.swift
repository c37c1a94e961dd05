import Foundation
import Testing
@testable import LoadKit

@Suite struct LogTimestampTests {
    @Test func commonLogTime() {
        // 2000-10-10T20:55:36Z
        #expect(LogTimestamp.parse("[10/Oct/2000:13:55:36 -0700]") == 971_211_336)
        #expect(LogTimestamp.parse("10/Oct/2000:20:55:36 +0000") == 971_211_336)
        #expect(LogTimestamp.parse("10/Oct/2000:20:55:36.250 +0000") == 971_211_336.25)
        #expect(LogTimestamp.parse("10/Foo/2000:20:55:36 +0000") == nil)
    }

    @Test func iso8601AndEpochs() {
        #expect(LogTimestamp.parse("2000-10-10T20:55:36Z") == 971_211_336)
        #expect(LogTimestamp.parse("2000-10-10 22:55:36.5+02:00") == 971_211_336.5)
        #expect(LogTimestamp.parse("2000-10-10T20:55:36.125") == 971_211_336.125)
        #expect(LogTimestamp.parse("971211336") == 971_211_336)
        #expect(LogTimestamp.parse("971211336500") == 971_211_336.5)
        #expect(LogTimestamp.parse("2000-13-10T20:55:36Z") == nil)
        #expect(LogTimestamp.parse("yesterday") == nil)
    }

    /// `{"time": 1e300}` was read as a time 1e291 s away; the replay's summary and `--to-scenario`
    /// trapped on it (exit 132). Past the year 9999 a number is no time.
    @Test func epochsPastTheYear9999AreNotTimes() throws {
        #expect(LogTimestamp.epoch(2.5e20) == 2.5e11)  // nanoseconds: the year 9892
        #expect(LogTimestamp.epoch(2.6e20) == nil)     // the year 10209
        #expect(LogTimestamp.epoch(1e300) == nil)
        #expect(LogTimestamp.parse("1e300") == nil)
        let log = try TrafficLogReader.parse(Data("""
            {"time": 1796292000, "method": "GET", "path": "/"}
            {"time": 1e300, "method": "GET", "path": "/b"}
            """.utf8), name: "app.jsonl")
        #expect(log.requests.count == 1)
        #expect(log.rejected.map(\.line) == [2])
        #expect(log.rejected.first?.reason == "time: not a time: 1e+300")
    }
}

@Suite struct AccessLogParserTests {
    @Test func combinedLogWithEscapesCommonLinesAndGarbage() throws {
        let text = """
            10.0.0.1 - alice [10/Oct/2000:13:55:36 -0700] "GET /api/items?page=2 HTTP/1.1" 200 2326 "http://x/" "Mozilla/5.0 (X11)"
            10.0.0.2 - - [10/Oct/2000:13:55:37 -0700] "POST /api/say?q=\\"hi\\" HTTP/1.1" 201 12 "-" "curl/8"
            # a comment, then a blank line

            garbage that is not a log line
            10.0.0.3 - - [10/Oct/2000:13:55:38 -0700] "DELETE /api/items/7 HTTP/1.1" 204 0
            10.0.0.4 - - [10/Oct/2000:13:55:39 -0700] "\\x16\\x03\\x01" 400 157 "-" "-"
            10.0.0.5 - - [99/Xyz/2000:13:55:39 -0700] "GET / HTTP/1.1" 200 1 "-" "-"
            """
        let log = try TrafficLogReader.parse(Data(text.utf8), name: "access.log")
        #expect(log.format == .combined)
        #expect(log.requests.map(\.method) == ["GET", "POST", "DELETE"])
        #expect(log.requests.map(\.target) == ["/api/items?page=2", #"/api/say?q="hi""#, "/api/items/7"])
        #expect(log.requests.map(\.line) == [1, 2, 6])
        #expect(log.requests[0].time == 971_211_336)
        #expect(log.requests[2].time - log.requests[0].time == 2)
        #expect(log.rejectedCount == 3)
        #expect(log.rejected.map(\.line) == [5, 7, 8])
        #expect(log.rejected[0].reason.contains("combined"))
        #expect(log.rejected[2].reason.contains("time"))
    }

    @Test func gunicornCustomLayoutSubtractsTheDurationAndKeepsHeaders() throws {
        let layout = #"%(t)s "%(r)s" %(s)s %(D)s "%({X-Tenant}i)s""#
        let text = """
            [03/Dec/2026:10:00:01 +0000] "GET /a HTTP/1.1" 200 250000 "acme"
            [03/Dec/2026:10:00:02 +0000] "PUT /b HTTP/1.1" 200 1000 "-"
            not gunicorn
            """
        let log = try TrafficLogReader.parse(Data(text.utf8), name: "g.log", logFormat: layout)
        #expect(log.format == .gunicorn)
        #expect(log.requests.count == 2)
        let t0 = try #require(LogTimestamp.parse("2026-12-03T10:00:00Z"))
        // gunicorn logs when the response ended: the arrival is that time minus %(D)s microseconds.
        #expect(abs(log.requests[0].time - (t0 + 0.75)) < 1e-6)
        #expect(abs(log.requests[1].time - (t0 + 1.999)) < 1e-6)
        #expect(log.requests[0].headers == [.init(name: "X-Tenant", value: "acme")])
        #expect(log.requests[1].headers.isEmpty)
        #expect(log.rejectedCount == 1 && log.rejected[0].line == 3)
    }

    @Test func gunicornDefaultLayoutIsCombined() throws {
        // What gunicorn 23 writes with its default access_log_format.
        let line = #"127.0.0.1 - - [03/Dec/2026:10:20:51 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "python-requests/2.32.3""#
        let log = try TrafficLogReader.parse(Data(line.utf8), name: "g.log", format: .gunicorn)
        #expect(log.requests.first?.target == "/healthz")
    }

    @Test func layoutWithoutTimeOrRequestIsRefused() {
        #expect(throws: ReplayError.self) { try AccessLogFormat(#""%(r)s" %(s)s"#) }
        #expect(throws: ReplayError.self) { try AccessLogFormat("%(t)s %(s)s") }
        #expect(throws: ReplayError.self) { try AccessLogFormat("%(t)s %(r") }
    }
}

@Suite struct JSONLinesAndHARTests {
    @Test func jsonLinesDefaultFieldsAndBodies() throws {
        let text = """
            {"time": "2026-12-03T10:00:00.250Z", "method": "POST", "path": "/api/models/3/predict", "body": {"x": 1}, "headers": {"Content-Type": "application/json"}}
            {"ts": 1796292000.5, "request": "GET /api/items?page=1 HTTP/1.1"}
            {"time": "2026-12-03T10:00:01Z", "path": "/no-method"}
            {"method": "GET", "path": "/no-time"}
            {not json
            """
        let log = try TrafficLogReader.parse(Data(text.utf8), name: "app.jsonl")
        #expect(log.format == .jsonLines)
        #expect(log.requests.count == 3)
        let post = try #require(log.requests.first { $0.method == "POST" })
        #expect(post.body == Array(#"{"x":1}"#.utf8))
        #expect(post.headers == [.init(name: "Content-Type", value: "application/json")])
        #expect(log.requests.contains { $0.target == "/api/items?page=1" && $0.method == "GET" })
        #expect(log.requests.contains { $0.target == "/no-method" && $0.method == "GET" })
        #expect(log.rejectedCount == 2)
        #expect(log.rejected.map(\.line) == [4, 5])
        #expect(log.rejected[0].reason.contains("--field time="))
    }

    @Test func jsonLinesConfiguredNestedFields() throws {
        let text = #"{"@t": 1796292000123, "req": {"verb": "PATCH", "uri": "/x/1"}}"#
        var fields = JSONLinesFields()
        try fields.set(["time=@t", "method=req.verb", "url=req.uri"])
        let log = try TrafficLogReader.parse(Data(text.utf8), name: "a.jsonl", format: .jsonLines, fields: fields)
        #expect(log.requests.first?.method == "PATCH")
        #expect(log.requests.first?.target == "/x/1")
        #expect(log.requests.first?.time == 1_796_292_000.123)
        #expect(throws: ReplayError.self) { try fields.set(["colour=x"]) }
        #expect(throws: ReplayError.self) { try fields.set(["time"]) }
    }

    @Test func harEntriesWithBodiesAndABadEntry() throws {
        let har = """
            {
              "log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [
                {"startedDateTime": "2026-12-03T10:00:00.100Z", "time": 12,
                 "request": {"method": "POST", "url": "https://shop.example/api/cart?id=9", "httpVersion": "HTTP/1.1",
                   "headers": [{"name": "Cookie", "value": "s=1"}, {"name": ":authority", "value": "shop.example"}],
                   "queryString": [], "postData": {"mimeType": "application/json", "text": "{\\"sku\\":42}"}}},
                {"startedDateTime": "2026-12-03T10:00:00.300Z",
                 "request": {"method": "POST", "url": "https://shop.example/login", "headers": [],
                   "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "user", "value": "a b"}]}}},
                {"startedDateTime": "not a time", "request": {"method": "GET", "url": "https://shop.example/"}},
                {"startedDateTime": "2026-12-03T10:00:00.400Z", "request": {"method": "GET", "url": "https://cdn.example/app.js"}}
              ]}
            }
            """
        let log = try TrafficLogReader.parse(Data(har.utf8), name: "s.har")
        #expect(log.format == .har)
        #expect(log.requests.count == 2)
        #expect(log.requests[0].pathAndQuery == "/api/cart?id=9")
        #expect(log.requests[0].body == Array(#"{"sku":42}"#.utf8))
        #expect(log.requests[0].headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(log.requests[1].body == Array("user=a%20b".utf8))
        #expect(log.rejectedCount == 2)
        #expect(log.rejected[0].line == 3 && log.rejected[0].reason.hasPrefix("entries[2]"))
        // Another origin (a CDN) is not replayed against --host unless chosen with --origin; never silently.
        #expect(log.rejected[1].reason.contains("https://cdn.example is not the replayed origin https://shop.example"))
        let cdn = try TrafficLogReader.parse(Data(har.utf8), name: "s.har", origin: "https://cdn.example")
        #expect(cdn.requests.map(\.pathAndQuery) == ["/app.js"] && cdn.rejectedCount == 3)
        #expect(throws: ReplayError.self) { try TrafficLogReader.parse(Data(har.utf8), name: "s.har", origin: "cdn") }
    }

    @Test func nothingParsableIsAnErrorShowingTheFirstFiveLines() throws {
        let text = (1...8).map { "junk \($0)" }.joined(separator: "\n")
        do {
            _ = try TrafficLogReader.parse(Data(text.utf8), name: "bad.log")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("no request could be read"))
            #expect(error.message.contains("8 line(s) rejected"))
            for n in 1...5 { #expect(error.message.contains("bad.log:\(n):")) }
            #expect(!error.message.contains("bad.log:6:"))
        }
        #expect(throws: ReplayError.self) { try TrafficLogReader.parse(Data(), name: "empty.log") }
    }
}

/// `"time": 1` was read as the boolean true (an NSNumber 0 or 1 bridges to `Bool`) and the line
/// refused as "not a time"; a real boolean was refused with the same words.
@Suite struct JSONLinesNumbersAndBooleansTests {
    @Test func integerTimesZeroAndOneAreNumbers() throws {
        let log = try TrafficLogReader.parse(Data("""
            {"time": 0, "method": "GET", "path": "/a"}
            {"time": 1, "method": "GET", "path": "/b"}
            {"time": 2, "method": "GET", "path": "/c", "headers": {"X-Retry": 1, "X-Flag": true}}
            """.utf8), name: "app.jsonl")
        #expect(log.rejected.isEmpty, "\(log.rejected)")
        #expect(log.requests.map(\.time) == [0, 1, 2])
        #expect(log.requests.last?.headers == [.init(name: "X-Flag", value: "true"), .init(name: "X-Retry", value: "1")])
    }

    @Test func aBooleanTimeIsRefusedNamingTheFileLineAndField() throws {
        let log = try TrafficLogReader.parse(Data("""
            {"time": 1796292000, "method": "GET", "path": "/"}
            {"time": true, "method": "GET", "path": "/b"}
            """.utf8), name: "app.jsonl")
        #expect(log.requests.count == 1)
        #expect(log.rejected.map(\.line) == [2])
        #expect(log.rejected.first?.reason == "time: true is a boolean, not a time")
        let replay = try ReplayPlan(log: log, host: "http://127.0.0.1:1", settings: ReplaySettings())
        let info = ReplayInfo(path: "app.jsonl", log: log, replay: replay, speed: 1, window: nil, loop: false)
        #expect(info.firstRejections == ["app.jsonl:2: time: true is a boolean, not a time"])
    }
}
