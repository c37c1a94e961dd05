import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LoadKit

@Suite(.serialized, .timeLimit(.minutes(1))) struct OutputTests {
    /// Locust 2.47's headers as its csv.writer prints them (CRLF line ends).
    static let locustStats = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n"
    static let locustHistory = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n"
    static let locustFailures = "Method,Name,Error,Occurrences,First Seen,Last Seen\r\n"
    static let locustExceptions = "Count,Message,Traceback,Nodes\r\n"

    func sampleRun() async throws -> (LoadPlan, RunSummary, String) {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let dir = try ScenarioDir()
        var plan = Plans.sequence(server, [Plans.get("/json", name: "ok, \"quoted\""), Plans.get("/status/500", name: "bad")],
                                  users: 2, runTime: 30, wait: .constant(0.01))
        plan.thresholds = [try Threshold("p(95) < 5s"), try Threshold("rate(failed) < 0.1", name: "bad")]
        let prefix = dir.url.appendingPathComponent("run").path
        let files = ReportFiles(csvPrefix: prefix, csvFullHistory: true, html: prefix + ".html", json: prefix + ".json",
                                junit: prefix + ".xml")
        try files.prepare(plan: plan)
        // The headers are on disk before any traffic.
        #expect(try String(contentsOfFile: prefix + "_stats_history.csv", encoding: .utf8) == Self.locustHistory)
        // Until three ticks of both names are in the history (the final tick adds more), not for a fixed
        // time in which a loaded machine may tick fewer times.
        let summary = try await runUntil(plan, options: RunOptions(tickInterval: 0.25, onTick: { files.tick($0) })) { run in
            let rows = (try? String(contentsOfFile: prefix + "_stats_history.csv", encoding: .utf8))?
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.count ?? 0
            return rows >= 1 + 9 && run.snapshot.entries.allSatisfy { $0.requests > 0 }
        }
        try files.finish(plan: plan, summary: summary)
        return (plan, summary, prefix)
    }

    @Test func writesLocustCSVByteForByte() async throws {
        let (_, summary, prefix) = try await sampleRun()
        func read(_ suffix: String) throws -> String { try String(contentsOfFile: prefix + suffix, encoding: .utf8) }
        let stats = try read("_stats.csv")
        #expect(stats.hasPrefix(Self.locustStats))
        let statLines = stats.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(statLines.count == 4)
        #expect(statLines[1].hasPrefix("GET,bad,"))
        #expect(statLines[2].hasPrefix("GET,\"ok, \"\"quoted\"\"\","))
        #expect(statLines[3].hasPrefix(",Aggregated,\(summary.stats.total.requests),\(summary.stats.total.failures),"))
        #expect(statLines.allSatisfy { LocustCSVWriterTestHelper.fields($0).count == 22 })
        let history = try read("_stats_history.csv")
        #expect(history.hasPrefix(Self.locustHistory))
        let historyRows = history.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(historyRows.count >= 9)  // 3 rows (2 names + Aggregated) per tick, at least 3 ticks
        #expect(historyRows.allSatisfy { LocustCSVWriterTestHelper.fields($0).count == 24 })
        let failures = try read("_failures.csv")
        #expect(failures.hasPrefix(Self.locustFailures))
        #expect(failures.contains("\r\nGET,bad,HTTP 500 Status,"))
        let failureFields = LocustCSVWriterTestHelper.fields(failures.components(separatedBy: "\r\n")[1])
        #expect(failureFields[4].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        #expect(try read("_exceptions.csv") == Self.locustExceptions)
    }

    @Test func writesJSONJUnitAndHTML() async throws {
        let (_, summary, prefix) = try await sampleRun()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: prefix + ".json"))) as? [String: Any]
        let doc = try #require(json)
        #expect(doc["passed"] as? Bool == false)
        let s = try #require((doc["summary"] as? [String: Any])?["stats"] as? [String: Any])
        let total = try #require(s["total"] as? [String: Any])
        #expect(total["requests"] as? Int == summary.stats.total.requests)
        #expect((total["percentiles"] as? [Double])?.count == 11)
        // The stats row's keys, snake_case; RunRecord reads the same row back as EntryStats.
        #expect(Set(total.keys) == ["method", "name", "requests", "failures", "avg_ms", "min_ms", "max_ms", "median_ms",
                                    "avg_content_size", "total_content_bytes", "rps", "fps", "current_rps", "current_fps",
                                    "percentiles", "current_percentiles"])
        let record = try RunRecord.load(path: prefix + ".json")
        #expect(record.summary.stats.total.medianMs == summary.stats.total.medianMs)
        #expect(record.summary.stats.total.currentPercentiles == summary.stats.total.currentPercentiles)
        #expect(record.summary.stats.total.levelPercentile(95) == summary.stats.total.percentiles[5])
        #expect(((doc["summary"] as? [String: Any])?["thresholds"] as? [Any])?.count == 2)
        #expect(((doc["summary"] as? [String: Any])?["history"] as? [Any])?.isEmpty == false)
        #expect((doc["latency_histogram"] as? [Any])?.isEmpty == false)

        let xml = try String(contentsOfFile: prefix + ".xml", encoding: .utf8)
        #expect(xml.contains(#"<testsuite name="thresholds" tests="2" failures="1""#))
        #expect(xml.contains(#"<testcase classname="firedrill.thresholds" name="p(95) &lt; 5s""#))
        #expect(xml.contains(#"<failure type="threshold" message="rate(failed)=1">"#))
        #expect(xml.components(separatedBy: "<testcase ").count == 3)
        let parsed = try XMLDocument(data: Data(xml.utf8))
        #expect(parsed.rootElement()?.name == "testsuites")

        let html = try String(contentsOfFile: prefix + ".html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for section in ["Requests per second", "Users", "Failures", "Latency percentiles over time", "Latency distribution",
                        "Request statistics"] {
            #expect(html.contains("<h2>\(section)</h2>"), "\(section)")
        }
        #expect(html.components(separatedBy: "<svg ").count == 6)
        #expect(html.contains("<path d=\"M"))
        // Self-contained: no scripts, stylesheets or images from anywhere.
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(html.contains("HTTP 500 Status"))
    }

    @Test func historyStaysBounded() {
        var buffer = HistoryBuffer(capacity: 8)
        for i in 0..<1000 {
            buffer.append(HistoryPoint(time: Double(i), elapsed: Double(i), span: 1, users: i % 7, rps: 10, fps: 1,
                                       percentiles: Array(repeating: Double(i), count: 11), totalRequests: i, totalFailures: 0))
        }
        #expect(buffer.all.count <= 9)
        #expect(buffer.all.last?.totalRequests == 999 || buffer.all.last?.elapsed ?? 0 >= 990)
        #expect(buffer.all.allSatisfy { abs($0.rps - 10) < 1e-9 })
        #expect(abs(buffer.all.reduce(0) { $0 + $1.span } - 1000) < 1e-9)
    }
}

enum LocustCSVWriterTestHelper {
    /// Splits one CSV record (quotes respected).
    static func fields(_ line: String) -> [String] {
        (try? CSVReader.parse(line + "\n").first) ?? []
    }
}
