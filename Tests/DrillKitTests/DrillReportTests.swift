@testable import DrillKit
import FiredrillSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LoadKit
import Testing

/// The drill report renderers: journal.json, junit.xml, report.html, and writing them.
@Suite struct DrillReportTests {
    typealias J = DrillJournal

    /// 2025-03-04T10:00:00.123Z.
    static let t0 = Date(timeIntervalSince1970: 1_741_082_400.123)
    static let title = "Memory leak <generate_features> & \"hotfix\" — it's patched"
    static let failedDetail = "MemoryNearLimit still firing after 20.0 s\nmemory at 91 % of the limit, expected < 60 % \u{1B}[31m"
    static let nilIndex = 100

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// A memory-leak-like run: the leak fills memory, 5xx spike, hotfix, patch; MemoryErrors skipped
    /// (no Alertmanager), MemoryNearLimit never resolves, so the method stops at line 188.
    static func fixture() -> J {
        func step(_ title: String, _ kind: String, _ line: Int, _ outcome: J.Outcome, expectation: Bool = false,
                  _ detail: String = "", from: Double, to: Double) -> J.StepResult {
            J.StepResult(title: title, kind: kind, line: line, outcome: outcome, isExpectation: expectation, detail: detail,
                         startedAt: at(from), endedAt: at(to))
        }
        func probe(_ name: String, _ line: Int, _ value: Double, _ detail: String, from: Double) -> J.ProbeResult {
            J.ProbeResult(name: name, line: line, outcome: .passed, value: value, detail: detail, startedAt: at(from),
                          endedAt: at(from + 0.25))
        }
        let limit = 512.0 * 1024 * 1024
        let series = (0..<120).map { i -> J.Point in
            let x = Double(i) + 0.5
            let spike = (40..<75).contains(i)
            let memory = i < 60 ? 0.30 + 0.65 * Double(i) / 60 : 0.50 + 0.35 * Double(i - 60) / 60
            return J.Point(at: at(x), users: min(i * 10, 100), requestsPerSecond: Double(min(i * 10, 100)) * 1.8,
                           errorRatio: i == nilIndex ? nil : spike ? 0.35 : 0.002,
                           p95Seconds: i == nilIndex ? nil : spike ? 1.25 : 0.045,
                           memoryBytes: memory * limit, memoryLimitBytes: i == nilIndex ? nil : limit,
                           firing: spike ? ["HighErrorRate", "MemoryNearLimit"] : [])
        }
        return J(
            title: title, runbook: "runbooks/memory-leak.md", status: .failed, deviated: false,
            startedAt: t0, endedAt: at(125.5),
            stack: J.StackInfo(kind: "local", serviceURL: "http://127.0.0.1:8080", prometheusURL: "http://127.0.0.1:9090",
                               alertmanagerURL: nil, monitoringGap: "alertmanager not found on PATH"),
            timeScale: 1.0 / 30, variables: ["users": "100", "leak_scale": "2000"],
            steadyStateBefore: [
                probe("memory at or below 60 % of the limit", 151, 0.31, "0.31 ≤ 0.6", from: 0),
                probe("prediction 5xx below 1 %", 155, 0, "0 ≤ 0.01", from: 0.3),
                probe("service healthy", 161, 200, "HTTP 200", from: 0.6),
            ],
            steadyStateAfter: [],
            steps: [
                step("start", "start", 166, .passed, "2 workers, legacy features", from: 1, to: 2),
                step("seed", "seed", 171, .passed, "1 model", from: 2, to: 3),
                step("load start", "load", 173, .passed, "100 users", from: 3, to: 3.1),
                step("the leak fills memory", "expect_alert", 179, .passed, expectation: true,
                     "MemoryNearLimit firing after 14.2 s", from: 3.1, to: 35),
                step("expect MemoryErrors firing within 10m", "expect_alert", 181, .skipped, expectation: true,
                     "needs Alertmanager", from: 35, to: 35),
                step("expect HighErrorRate firing within 10m", "expect_alert", 182, .passed, expectation: true,
                     "HighErrorRate firing after 10.0 s", from: 35, to: 50),
                step("hotfix — more workers, recycled", "act", 183, .passed, "scaled to 4 workers", from: 60, to: 61),
                step("expect HighErrorRate resolved within 10m", "expect_alert", 185, .passed, expectation: true,
                     "resolved after 14 s", from: 61, to: 75),
                step("patch — rolling restart onto the patched implementation", "act", 186, .passed, from: 90, to: 92),
                step("expect MemoryNearLimit resolved within 10m <&\">", "expect_alert", 188, .failed, expectation: true,
                     failedDetail, from: 92, to: 118),
            ],
            rollbacks: [
                step("load stop", "load", 196, .passed, from: 119, to: 119.2),
                step("fault clear", "fault", 197, .passed, from: 119.2, to: 119.4),
            ],
            timeline: [
                J.Event(at: at(0.9), kind: .serviceStarted, label: "csv-analyzer up (2 workers)"),
                J.Event(at: at(3.1), kind: .loadStarted, label: "100 users"),
                J.Event(at: at(20), kind: .faultInjected, label: "leak_scale 2000"),
                J.Event(at: at(30), kind: .alertPending, label: "MemoryNearLimit pending"),
                J.Event(at: at(34.2), kind: .alertFiring, label: "MemoryNearLimit firing"),
                J.Event(at: at(40.5), kind: .firstError, label: "first 5xx"),
                J.Event(at: at(50), kind: .alertFiring, label: "HighErrorRate firing"),
                J.Event(at: at(60), kind: .hotfix, label: "scale to 4 workers, max_requests 400"),
                J.Event(at: at(75), kind: .recovered, label: "5xx under 1 %"),
                J.Event(at: at(90), kind: .patch, label: "restart onto patched"),
                J.Event(at: at(118), kind: .stepFailed, label: "line 188 <failed>"),
            ],
            series: series,
            keyTimes: J.KeyTimes(timeToDetect: 14.2, timeToNotify: 125, timeToRecover: nil),
            reason: "line 188: MemoryNearLimit still firing after 20.0 s")
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    // MARK: journal.json

    @Test func jsonRoundTripsToTheMillisecond() throws {
        let journal = Self.fixture()
        let data = try JournalJSON.encode(journal)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"startedAt\" : \"2025-03-04T10:00:00.123Z\""))
        #expect(text.contains("\"serviceURL\" : \"http://127.0.0.1:8080\""))   // slashes not escaped
        // Sorted keys, pretty-printed.
        let keys = ["\"deviated\"", "\"endedAt\"", "\"keyTimes\"", "\"runbook\"", "\"series\"", "\"startedAt\"", "\"title\""]
        let positions = keys.compactMap { text.range(of: "\n  \($0)")?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())

        let back = try JournalJSON.decode(data)
        #expect(back.title == journal.title)
        #expect(back.status == .failed && back.passed == false && back.skippedCount == 1)
        #expect(back.timeScale == journal.timeScale)
        #expect(back.variables == journal.variables)
        #expect(back.steps.map(\.title) == journal.steps.map(\.title))
        #expect(back.steps.map(\.outcome) == journal.steps.map(\.outcome))
        #expect(back.steps.last?.detail == Self.failedDetail)
        #expect(back.timeline.map(\.kind) == journal.timeline.map(\.kind))
        #expect(back.series.count == 120)
        #expect(back.series[Self.nilIndex].errorRatio == nil && back.series[Self.nilIndex].memoryRatio == nil)
        #expect(back.series[50].errorRatio == 0.35 && back.series[50].memoryBytes == journal.series[50].memoryBytes)
        #expect(back.keyTimes.timeToDetect == 14.2 && back.keyTimes.timeToRecover == nil)
        #expect(back.stack.alertmanagerURL == nil && back.stack.monitoringGap == journal.stack.monitoringGap)
        #expect(back.reason == journal.reason)
        // Every date to the millisecond.
        func dates(_ j: J) -> [Date] {
            [j.startedAt, j.endedAt] + j.steadyStateBefore.flatMap { [$0.startedAt, $0.endedAt] }
                + j.steps.flatMap { [$0.startedAt, $0.endedAt] } + j.rollbacks.flatMap { [$0.startedAt, $0.endedAt] }
                + j.timeline.map(\.at) + j.series.map(\.at)
        }
        #expect(dates(back).map(Self.ms) == dates(journal).map(Self.ms))
        #expect(dates(back).count == 2 + 6 + 20 + 4 + 11 + 120)
        // Stable: encoding what was decoded gives the same bytes.
        #expect(try JournalJSON.encode(back) == data)
    }

    @Test func datesAreExactToTheMillisecond() throws {
        #expect(JournalJSON.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JournalJSON.string(from: Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(JournalJSON.string(from: Date(timeIntervalSince1970: 1_709_164_800.5)) == "2024-02-29T00:00:00.500Z")
        #expect(JournalJSON.string(from: Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
        #expect(JournalJSON.string(from: Date(timeIntervalSince1970: .nan)) == nil)
        #expect(JournalJSON.date(from: "2025-03-04T12:00:14.25+02:00").map(Self.ms) == 1_741_082_414_250)
        #expect(JournalJSON.date(from: "2025-03-04T10:00:14Z").map(Self.ms) == 1_741_082_414_000)
        #expect(JournalJSON.date(from: "2025-03-04 10:00:14.123456Z").map(Self.ms) == 1_741_082_414_123)
        for bad in ["", "2025-03-04", "2025-02-29T00:00:00Z", "2025-03-04T24:00:00Z", "2025-03-04T10:00:00", "x2025-03-04T10:00:00Z",
                    "2025-03-04T10:00:00.Z", "2025-03-04T10:00:00Zjunk"] {
            #expect(JournalJSON.date(from: bad) == nil, "\(bad)")
        }
        // Any millisecond from 1900 to 2200 survives a round trip exactly.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let ms = Int64(state >> 16) % 9_467_280_000_000 - 2_208_988_800_000
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            let text = try #require(JournalJSON.string(from: date))
            let back = try #require(JournalJSON.date(from: text), "\(text)")
            #expect(Self.ms(back) == ms, "\(text)")
            #expect(JournalJSON.string(from: back) == text)
        }
    }

    @Test func nonFiniteNumbersDoNotCrash() throws {
        var journal = Self.fixture()
        journal.timeScale = .nan
        journal.steadyStateBefore[0].value = .infinity
        journal.series[10].errorRatio = .nan
        journal.series[11].p95Seconds = -.infinity
        journal.series[12].memoryBytes = .infinity
        journal.keyTimes.timeToDetect = .nan
        let back = try JournalJSON.decode(JournalJSON.encode(journal))
        #expect(back.timeScale.isNaN)
        #expect(back.steadyStateBefore[0].value == .infinity)
        #expect(back.series[11].p95Seconds == -.infinity)
        let html = DrillHTMLReport.render(journal)
        let xml = DrillJUnit.render(journal)
        #expect(!html.lowercased().contains("nan,") && !html.contains(",nan") && !html.contains("inf,"))
        #expect(html.contains("Time to detect<b>—</b>"))
        #expect(xml.contains("time_scale\" value=\"NaN\""))
    }

    // MARK: junit.xml

    struct Counts: Equatable {
        var tests = 0, failures = 0, skipped = 0
    }

    @Test func junitCountsCasesAndEscapes() throws {
        let journal = Self.fixture()
        let xml = DrillJUnit.render(journal)
        // Escaping: the title carries < & " ' and a detail carries an ESC control character.
        #expect(xml.contains("name=\"Memory leak &lt;generate_features&gt; &amp; &quot;hotfix&quot; — it&apos;s patched\""))
        #expect(!xml.contains("\u{1B}"))
        #expect(xml.contains("name=\"memory-leak.md:188 expect MemoryNearLimit resolved within 10m &lt;&amp;&quot;&gt;\""))
        #expect(xml.contains("<testcase classname=\"drill.memory-leak-generate-features-hotfix-it-s-patched\" name=\"memory-leak.md:182 expect HighErrorRate firing within 10m\""))
        #expect(xml.contains("<skipped message=\"needs Alertmanager\"/>"))
        #expect(xml.contains("<failure type=\"expect_alert\" message=\"MemoryNearLimit still firing after 20.0 s …\">"))
        // Steps that are not expectations and did not fail are not test cases.
        #expect(!xml.contains("memory-leak.md:183"))
        #expect(!xml.contains("<testsuite name=\"rollbacks\""))

        #if canImport(FoundationXML) || os(macOS)
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "name")?.stringValue == Self.title)
        func counts(_ element: XMLElement) -> Counts {
            Counts(tests: Int(element.attribute(forName: "tests")?.stringValue ?? "") ?? -1,
                   failures: Int(element.attribute(forName: "failures")?.stringValue ?? "") ?? -1,
                   skipped: Int(element.attribute(forName: "skipped")?.stringValue ?? "") ?? -1)
        }
        #expect(counts(root) == Counts(tests: 8, failures: 1, skipped: 1))
        #expect(root.attribute(forName: "time")?.stringValue == "125.500")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue ?? "" } == ["steady state before", "method", "steady state after"])
        #expect(suites.map(counts) == [Counts(tests: 3), Counts(tests: 5, failures: 1, skipped: 1), Counts()])
        // Each suite's counts agree with its test cases.
        for suite in suites {
            let cases = suite.elements(forName: "testcase")
            #expect(counts(suite) == Counts(tests: cases.count,
                                            failures: cases.filter { !$0.elements(forName: "failure").isEmpty }.count,
                                            skipped: cases.filter { !$0.elements(forName: "skipped").isEmpty }.count))
        }
        #expect(suites[1].attribute(forName: "time")?.stringValue == "117.000")
        #expect(suites[1].attribute(forName: "timestamp")?.stringValue == "2025-03-04T10:00:01Z")
        let failure = try #require(suites[1].elements(forName: "testcase").last?.elements(forName: "failure").first)
        #expect(failure.stringValue == Self.failedDetail.replacingOccurrences(of: "\u{1B}", with: "\u{FFFD}"))
        let failing = try #require(suites[1].elements(forName: "testcase").last)
        #expect(failing.attribute(forName: "name")?.stringValue == "memory-leak.md:188 expect MemoryNearLimit resolved within 10m <&\">")
        #expect(failing.attribute(forName: "time")?.stringValue == "26.000")
        #else
        #expect(xml.components(separatedBy: "<testcase ").count == 9)
        #expect(xml.contains("<testsuites name=\"Memory leak &lt;generate_features&gt; &amp; &quot;hotfix&quot; — it&apos;s patched\" tests=\"8\" failures=\"1\" errors=\"0\" skipped=\"1\""))
        #expect(xml.contains("<testsuite name=\"method\" tests=\"5\" failures=\"1\" errors=\"0\" skipped=\"1\""))
        #endif
    }

    @Test func junitShowsFailedPlainStepsAndNeverPassesABadRun() throws {
        var journal = Self.fixture()
        journal.title = "t"
        journal.steps = [J.StepResult(title: "start", kind: "start", line: 166, outcome: .failed, isExpectation: false,
                                      detail: "csv-analyzer exited with status 1", startedAt: Self.at(1), endedAt: Self.at(2))]
        journal.rollbacks = [J.StepResult(title: "fault clear", kind: "fault", line: 197, outcome: .failed, isExpectation: false,
                                          detail: "connection refused", startedAt: Self.at(3), endedAt: Self.at(4))]
        var xml = DrillJUnit.render(journal)
        #expect(xml.contains("<testsuites name=\"t\" tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"0\""))
        #expect(xml.contains("<testcase classname=\"drill.t\" name=\"memory-leak.md:166 start\" time=\"1.000\">\n      <failure type=\"start\" message=\"csv-analyzer exited with status 1\">"))
        #expect(xml.contains("<testsuite name=\"rollbacks\" tests=\"1\" failures=\"1\""))

        // Interrupted with nothing failed: a failing `run` case keeps CI red.
        journal.steps = []
        journal.rollbacks = []
        journal.status = .interrupted
        journal.reason = "interrupted by SIGINT"
        xml = DrillJUnit.render(journal)
        #expect(xml.contains("<testsuites name=\"t\" tests=\"4\" failures=\"1\""))
        #expect(xml.contains("<testsuite name=\"run\" tests=\"1\" failures=\"1\""))
        #expect(xml.contains("message=\"interrupted by SIGINT\""))
        // A passing run has no such case.
        journal.status = .completed
        journal.reason = nil
        xml = DrillJUnit.render(journal)
        #expect(journal.passed)
        #expect(xml.contains("tests=\"3\" failures=\"0\""))
        #expect(!xml.contains("<testsuite name=\"run\""))
    }

    // MARK: report.html

    @Test func probeAndStepTablesNumberTheirRowsAndMarkTheFailedOne() {
        let html = DrillHTMLReport.render(Self.fixture())
        #expect(html.contains("<table><tr><th>#</th><th>line</th><th class=\"l\">probe</th><th class=\"l\">outcome</th><th>value</th><th>duration</th><th class=\"l\">detail</th></tr>"
            + "<tr><td>1</td><td>151</td><td class=\"l\">memory at or below 60 % of the limit</td><td class=\"l pass\">passed</td>"))
        #expect(html.contains("<table><tr><th>#</th><th>line</th><th class=\"l\">step</th><th class=\"l\">kind</th><th class=\"l\">outcome</th><th>started</th><th>duration</th><th class=\"l\">detail</th></tr>"
            + "<tr><td>1</td><td>166</td><td class=\"l\">start</td><td class=\"l\"><code>start</code></td><td class=\"l pass\">passed</td>"))
        #expect(html.contains("<tr class=\"failed\"><td>10</td><td>188</td><td class=\"l\">expect MemoryNearLimit resolved within 10m &lt;&amp;&quot;&gt;</td>"
            + "<td class=\"l\"><code>expect_alert</code> <span class=\"meta\">expectation</span></td><td class=\"l fail\">FAILED</td><td><code>+01:32.0</code></td>"))
    }

    @Test func htmlTellsTheStory() throws {
        let html = DrillHTMLReport.render(Self.fixture())
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("<span class=\"badge failed\">FAILED</span>"))
        #expect(html.contains("<h1>Memory leak &lt;generate_features&gt; &amp; &quot;hotfix&quot; — it&apos;s patched</h1>"))
        #expect(html.contains("Time scale 1/30 (30× faster than real time: an incident minute takes 2.0 s)"))
        #expect(html.contains("Started 2025-03-04 10:00:00 UTC · ended 2025-03-04 10:02:05 UTC · duration <b>2 min 06 s</b>"))
        #expect(html.contains("<b>⚠ 1 check skipped</b> — alert checks need Prometheus and Alertmanager; skipped is not passed."))
        #expect(html.contains("Monitoring gap: alertmanager not found on PATH"))
        #expect(html.contains("<b>Stopped:</b> line 188: MemoryNearLimit still firing after 20.0 s"))
        #expect(html.contains("Alertmanager <span class=\"warn\">none</span>"))
        // Key times.
        #expect(html.contains("Time to detect<b>14.2 s</b>"))
        #expect(html.contains("Time to notify<b>2 min 05 s</b>"))
        #expect(html.contains("Time to recover<b>—</b>"))
        #expect(html.contains("≈ 7 min 06 s at incident speed"))
        // The failing detail: in the "what failed" box and in its highlighted row, line breaks kept.
        let detail = "MemoryNearLimit still firing after 20.0 s<br>memory at 91 % of the limit, expected &lt; 60 % \u{FFFD}[31m"
        #expect(html.contains("<span class=\"fail\">\(detail)</span>"))
        #expect(html.contains("<td class=\"l fail\">FAILED</td><td><code>+01:32.0</code></td><td>26.0 s</td><td class=\"l detail failed\">\(detail)</td></tr>"))
        #expect(html.contains("<td class=\"l skip\">skipped</td>"))
        // Timeline: a strip plus a table with offsets.
        #expect(html.contains("class=\"timeline\""))
        #expect(html.contains("<tr><td><code>+00:34.2</code></td><td class=\"l\"><span class=\"dot\" style=\"background:#d62728\"></span>alert firing</td><td class=\"l\">MemoryNearLimit firing</td></tr>"))
        #expect(html.contains("background:#8e44ad") == false)   // no notified event in the fixture
        #expect(html.contains("fill=\"#e6a100\""))               // the pending dot is amber
        // Four charts after the timeline, each with the fault/hotfix/patch markers.
        let order = ["<h2>Key times</h2>", "<h2>Timeline</h2>", "id=\"chart-errors\"", "id=\"chart-latency\"", "id=\"chart-memory\"",
                     "id=\"chart-load\"", "<h2>Steady state before</h2>", "<h2>Method</h2>", "<h2>Steady state after</h2>",
                     "<h2>Rollbacks</h2>", "<h2>Variables</h2>"]
        let positions = order.compactMap { html.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted())
        for id in ["chart-errors", "chart-latency", "chart-memory", "chart-load"] {
            let chart = try #require(Self.figure(id, in: html))
            #expect(chart.components(separatedBy: "<svg ").count == 2, "\(id)")
            #expect(chart.components(separatedBy: "stroke-dasharray=\"2 3\"").count == 4, "\(id): three markers")
            for label in ["fault injected: leak_scale 2000", "hotfix: scale to 4 workers, max_req…", "patch: restart onto patched"] {
                #expect(chart.contains(">\(label)</text>"), "\(id): \(label)")
            }
            #expect(chart.contains("<path d=\"M"), "\(id)")
        }
        // Reference lines.
        let errors = try #require(Self.figure("chart-errors", in: html))
        let latency = try #require(Self.figure("chart-latency", in: html))
        let memory = try #require(Self.figure("chart-memory", in: html))
        #expect(errors.contains("stroke-dasharray=\"6 4\"><title>1 %</title>"))
        #expect(latency.contains("stroke-dasharray=\"6 4\"><title>500 ms SLA</title>"))
        #expect(memory.contains("stroke-dasharray=\"6 4\"><title>60 % target</title>"))
        #expect(memory.contains("stroke-dasharray=\"6 4\"><title>90 % alert</title>"))
        // The memory chart's y axis runs to 100 %, so 60 % sits at 60 % of the plot height (16 + 188 × 0.4).
        #expect(memory.contains("y1=\"91.2\" y2=\"91.2\" stroke=\"#2ca02c\""))
        // The nil sample at index 100 breaks the 5xx, latency and memory lines; users have no gap.
        for chart in [errors, latency, memory] {
            let path = try #require(chart.firstMatch(of: /<path d="([^"]*)"/)?.1)
            #expect(path.filter { $0 == "M" }.count == 2)
        }
        // Self-contained: nothing fetched from the network.
        #expect(html.firstMatch(of: /(?i)(src|href)\s*=\s*["']?\s*(https?:)?\/\//) == nil)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("url(") && !html.contains("@import"))
    }

    @Test func htmlHandlesAnEmptyOrPassingRun() {
        var journal = Self.fixture()
        journal.series = []
        journal.timeline = []
        journal.steps = []
        journal.rollbacks = []
        journal.status = .aborted
        journal.steadyStateBefore[2].outcome = .failed
        journal.steadyStateBefore[2].detail = "HTTP 503, expected 200"
        var html = DrillHTMLReport.render(journal)
        #expect(html.contains("<span class=\"badge aborted\">ABORTED</span>"))
        #expect(html.components(separatedBy: ">no samples</text>").count == 5)
        #expect(html.contains(">no events</text>") && html.contains("<p>No events.</p>"))
        #expect(html.contains("The method did not run: the steady state did not hold before it."))
        #expect(html.contains("<span class=\"fail\">HTTP 503, expected 200</span>"))

        journal = Self.fixture()
        journal.status = .completed
        journal.steps.removeLast()
        journal.reason = nil
        journal.stack.monitoringGap = nil
        journal.steps[4].outcome = .passed
        html = DrillHTMLReport.render(journal)
        #expect(html.contains("<span class=\"badge passed\">PASSED</span>"))
        #expect(!html.contains("skipped is not passed") && !html.contains("What failed") && !html.contains("Stopped:"))

        journal.status = .interrupted
        #expect(DrillHTMLReport.render(journal).contains("<span class=\"badge interrupted\">INTERRUPTED</span>"))
    }

    @Test func chartGapsAndFormats() {
        let svg = SVGChart.lines([SVGChart.Series(name: "s", color: "#000", gappedPoints: [
            (0, 1), (1, 2), (2, nil), (3, 4), (4, .nan), (5, 1), (6, 2),
        ])], yLabel: "y", xRange: 0...10)
        let path = svg.firstMatch(of: /<path d="([^"]*)"/)?.1 ?? ""
        #expect(path.filter { $0 == "M" }.count == 2)                    // (0,1)-(1,2) and (5,1)-(6,2)
        #expect(svg.components(separatedBy: "<circle ").count == 2)    // (3,4) stands alone
        #expect(SVGChart.lines([SVGChart.Series(name: "s", color: "#000", gappedPoints: [(0, nil)])], yLabel: "y",
                               emptyText: "no samples").contains(">no samples</text>"))
        #expect(DrillCharts.gapBreaks([0, 1, 2, 3, 10, 11]) == [4])
        #expect(DrillFormat.seconds(14.24) == "14.2 s")
        #expect(DrillFormat.seconds(59.97) == "1 min 00 s")
        #expect(DrillFormat.seconds(125) == "2 min 05 s")
        #expect(DrillFormat.seconds(3725) == "1 h 02 min 05 s")
        #expect(DrillFormat.seconds(nil) == "—" && DrillFormat.seconds(.infinity) == "—")
        #expect(DrillFormat.offset(14.2) == "+00:14.2")
        #expect(DrillFormat.offset(3725.25) == "+1:02:05.3")
        #expect(DrillFormat.timeScale(1) == "1 (real time)")
        // `--time-scale 1e-300` trapped here (1/scale past Int) before the drill started.
        #expect(DrillFormat.fraction(1.0 / 30) == "1/30")
        #expect(DrillFormat.fraction(1e-300) == "1e-300")
        #expect(DrillFormat.timeScale(1e-300).contains("× faster than real time"))
        #expect(MarkupText.escape("a\u{0}b\tc\nd", attribute: true) == "a\u{FFFD}b&#9;c&#10;d")
        #expect(JournalFacts(Self.fixture()).slug == "memory-leak-generate-features-hotfix-it-s-patched")
    }

    // MARK: writing

    @Test func writesThreeFilesAtomically() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("drill-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let directory = base.appendingPathComponent("nested/report")
        let journal = Self.fixture()
        let files = try DrillReport.write(journal, to: directory)
        #expect(files.journal.lastPathComponent == "journal.json")
        #expect(files.junit.lastPathComponent == "junit.xml")
        #expect(files.html.lastPathComponent == "report.html")
        #expect(try JournalJSON.decode(Data(contentsOf: files.journal)).title == journal.title)
        #expect(try String(contentsOf: files.junit, encoding: .utf8) == DrillJUnit.render(journal))
        #expect(try String(contentsOf: files.html, encoding: .utf8) == DrillHTMLReport.render(journal))
        // Again, over the old files; no temporary file is left behind.
        var second = journal
        second.title = "second"
        try DrillReport.write(second, to: directory)
        #expect(try JournalJSON.decode(Data(contentsOf: files.journal)).title == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["journal.json", "junit.xml", "report.html"])

        // A directory that cannot be created: the error names it.
        let blocker = base.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("report")
        let error = #expect(throws: DrillReportError.self) {
            try DrillReport.write(journal, to: target)
        }
        #expect(error?.description.contains(target.path) == true)
    }

    /// The `<figure id="…">…</figure>` element.
    static func figure(_ id: String, in html: String) -> Substring? {
        guard let start = html.range(of: "<figure id=\"\(id)\">"),
              let end = html.range(of: "</figure>", range: start.upperBound..<html.endIndex) else { return nil }
        return html[start.lowerBound..<end.upperBound]
    }
}
