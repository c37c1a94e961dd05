@testable import FiredrillSupport
@testable import DrillKit
import Foundation
import Testing

/// The runner's pure parts: scrape parsing, interval rates, alert tracking, derived timeline.
@Suite struct RunnerPartsTests {
    static let scrape = """
        # HELP http_requests_total Requests.
        # TYPE http_requests_total counter
        http_requests_total{method="POST",route="/api/models/{id}/predict",status="200"} 90
        http_requests_total{method="POST",route="/api/models/{id}/predict",status="500"} 10
        http_requests_total{method="GET",route="/metrics",status="200"} 1000
        http_request_duration_seconds_bucket{method="POST",route="/api/models/{id}/predict",le="0.1"} 50
        http_request_duration_seconds_bucket{method="POST",route="/api/models/{id}/predict",le="0.5"} 90
        http_request_duration_seconds_bucket{method="POST",route="/api/models/{id}/predict",le="+Inf"} 100
        http_request_duration_seconds_bucket{method="GET",route="/metrics",le="+Inf"} 1000
        csv_analyzer_resident_memory_bytes 4.5e+08
        process_memory_limit_bytes 536870912
        weird{a="x\\"y,z"} NaN
        """

    @Test func parsesTheExpositionFormat() {
        let samples = Exposition.parse(Self.scrape)
        #expect(samples.count == 10)
        #expect(samples[0] == ExpositionSample(name: "http_requests_total",
                                               labels: ["method": "POST", "route": "/api/models/{id}/predict", "status": "200"], value: 90))
        #expect(samples.last?.labels["a"] == "x\"y,z")
        #expect(samples.last?.value.isNaN == true)
    }

    @Test func scrapeTotalsLeaveOutMetricsScrapes() {
        let s = ServiceScrape(text: Self.scrape, at: Date(timeIntervalSince1970: 100))
        #expect(s.requests == 100)
        #expect(s.errors == 10)
        #expect(s.buckets[.infinity] == 100)
        #expect(s.memoryBytes == 4.5e8)
        #expect(s.memoryLimitBytes == 536_870_912)
    }

    @Test func intervalRatesAndCounterResets() throws {
        let t0 = Date(timeIntervalSince1970: 100)
        let a = ServiceScrape(at: t0, requests: 100, errors: 10, buckets: [0.1: 50, 0.5: 90, .infinity: 100], memoryBytes: nil, memoryLimitBytes: nil)
        let b = ServiceScrape(at: t0.addingTimeInterval(2), requests: 300, errors: 60,
                              buckets: [0.1: 150, 0.5: 290, .infinity: 300], memoryBytes: nil, memoryLimitBytes: nil)
        let rates = try #require(b.interval(since: a))
        #expect(rates.requestsPerSecond == 100)
        #expect(rates.errorRatio == 0.25)
        // 200 new: 100 ≤ 0.1 s, 100 in (0.1, 0.5]; rank 190 → 0.1 + 0.4 × 90/100.
        #expect(abs((rates.p95Seconds ?? 0) - 0.46) < 1e-9)
        // A restarted service counts from zero, as rate() does.
        let restarted = ServiceScrape(at: t0.addingTimeInterval(3), requests: 20, errors: 0, buckets: [.infinity: 20],
                                      memoryBytes: nil, memoryLimitBytes: nil)
        #expect(try #require(restarted.interval(since: b)).requestsPerSecond == 20)
        // No traffic: no ratio and no p95 rather than zeros.
        let idle = try #require(a.interval(since: ServiceScrape(at: t0.addingTimeInterval(-1), requests: 100, errors: 10,
                                                                buckets: [.infinity: 100], memoryBytes: nil, memoryLimitBytes: nil)))
        #expect(idle.errorRatio == nil)
        #expect(idle.p95Seconds == nil)
        #expect(ServiceScrape.quantile(0.95, cumulative: [0.5: 0, .infinity: 10]) == 0.5)
    }

    @Test func alertTrackerTurnsStateChangesIntoEvents() {
        var tracker = AlertTracker()
        let t = Date(timeIntervalSince1970: 1000)
        func alert(_ name: String, _ state: String) -> PrometheusAlert { PrometheusAlert(name: name, state: state, labels: [:], activeAt: nil) }
        tracker.observe([alert("Watchdog", "firing"), alert("HighErrorRate", "pending")], at: t)
        #expect(tracker.holds("HighErrorRate", .resolved) == false)
        tracker.observe([alert("HighErrorRate", "firing"), alert("HighErrorRate", "pending")], at: t + 1)
        #expect(tracker.holds("HighErrorRate", .firing))
        #expect(tracker.firing == ["HighErrorRate"])
        tracker.observe([alert("HighErrorRate", "firing")], at: t + 2)
        tracker.observe([], at: t + 3)
        #expect(tracker.holds("HighErrorRate", .resolved))
        #expect(tracker.holds("NeverSeen", .resolved))
        #expect(tracker.events.map(\.kind) == [.alertPending, .alertFiring, .alertResolved])
        #expect(tracker.events.map(\.at) == [t, t + 1, t + 3])
        #expect(tracker.resolvedAt["HighErrorRate"] == t + 3)

        let note = AlertNotification(receivedAt: t + 1.5, status: "firing", receiver: "drill",
                                     alerts: [.init(status: "firing", labels: ["alertname": "HighErrorRate"]),
                                              .init(status: "firing", labels: ["alertname": "Watchdog"])])
        tracker.observe(notifications: [note])
        tracker.observe(notifications: [note])
        #expect(tracker.events.filter { $0.kind == .notified }.map(\.label) == ["HighErrorRate firing notified"])
        #expect(note.reports("HighErrorRate", status: "firing"))
        #expect(!note.reports("HighErrorRate", status: "resolved"))
    }

    @Test func derivedMomentsAndKeyTimes() {
        let t = Date(timeIntervalSince1970: 0)
        let events: [DrillJournal.Event] = [
            .init(at: t + 5, kind: .loadStarted, label: "load"),
            .init(at: t + 30, kind: .alertFiring, label: "HighErrorRate firing"),
            .init(at: t + 32, kind: .notified, label: "HighErrorRate firing notified"),
            .init(at: t + 40, kind: .hotfix, label: "scale"),
            .init(at: t + 70, kind: .alertResolved, label: "HighErrorRate resolved"),
        ]
        // 5xx from t+20 to t+49, then clean, with one relapse at t+52.
        let series = (0..<80).map { i -> DrillJournal.Point in
            let ratio: Double? = i < 6 ? nil : (20..<50).contains(i) || i == 52 ? 0.3 : 0
            return .init(at: t + Double(i), users: 10, requestsPerSecond: 10, errorRatio: ratio, p95Seconds: 0.01,
                         memoryBytes: nil, memoryLimitBytes: nil, firing: [])
        }
        let timeline = TimelineAnalysis.derivedEvents(events, series: series)
        #expect(timeline.first { $0.kind == .firstError }?.at == t + 20)
        #expect(timeline.first { $0.kind == .recovered }?.at == t + 53)
        #expect(timeline.map(\.at) == timeline.map(\.at).sorted())
        let times = TimelineAnalysis.keyTimes(timeline)
        #expect(times.timeToDetect == 25)
        #expect(times.timeToNotify == 27)
        #expect(times.timeToRecover == 13)
        #expect(TimelineAnalysis.keyTimes([]).timeToDetect == nil)
    }

    @Test func scrapeQueriesOnlyTakeTheSimpleForms() {
        let samples = Exposition.parse(Self.scrape)
        let ratio = ScrapeQuery("csv_analyzer_resident_memory_bytes / process_memory_limit_bytes")
        #expect(ratio?.evaluate(samples) == 4.5e8 / 536_870_912)
        #expect(ScrapeQuery("http_requests_total")?.evaluate(samples) == 1100)
        #expect(ScrapeQuery("absent_metric")?.evaluate(samples) == nil)
        #expect(ScrapeQuery("rate(http_requests_total[1m])") == nil)
        #expect(ScrapeQuery("up{job=\"x\"}") == nil)
        #expect(ScrapeQuery("a / b / c") == nil)
        #expect(ScrapeQuery("2x") == nil)
    }

    @Test func rangeWindowsInQueriesAreScaledAndFloored() throws {
        let q = #"sum(rate(http_requests_total{status=~"5.."}[1m])) / sum(rate(http_requests_total[10m])) offset 5m"#
        #expect(try RuleScaler.scale(query: q, factor: 1.0 / 30, minimumRange: PromDuration("4s")) ==
            #"sum(rate(http_requests_total{status=~"5.."}[4s])) / sum(rate(http_requests_total[20s])) offset 10s"#)
    }
}

/// The one-screen summary `firedrill drill` ends with.
@Suite struct DrillSummaryTests {
    static func journal(status: DrillJournal.Status, outcomes: [DrillJournal.Outcome], gap: String? = nil) -> DrillJournal {
        let t = Date(timeIntervalSince1970: 1_000)
        let steps = outcomes.enumerated().map { i, outcome in
            DrillJournal.StepResult(title: "expect A\(i) firing within 1m", kind: "expect_alert", line: 10 + i, outcome: outcome,
                                    isExpectation: true, detail: outcome == .skipped ? "skipped, not passed: \(gap ?? "x")" : "detail \(i)",
                                    startedAt: t, endedAt: t + 1)
        }
        return DrillJournal(title: "T", runbook: "r.md", status: status, deviated: false, startedAt: t, endedAt: t + 75,
                            stack: .init(kind: "local", serviceURL: "http://127.0.0.1:1", monitoringGap: gap), timeScale: 1.0 / 30,
                            variables: [:], steadyStateBefore: [], steadyStateAfter: [], steps: steps, rollbacks: [], timeline: [],
                            series: [], keyTimes: .init(timeToDetect: 14.2), reason: status == .failed ? "r.md:11: broken" : nil)
    }

    @Test func passedWithSkipsSaysSoAndNamesTheReport() {
        let text = DrillSummary.render(Self.journal(status: .completed, outcomes: [.passed, .skipped], gap: "no Prometheus"),
                                       reportDirectory: "out")
        #expect(text.contains("— PASSED (1 check skipped, not passed)"))
        #expect(text.contains("took 1 min 15 s · time to detect 14.2 s · to notify — · to recover —"))
        #expect(text.contains("note: no Prometheus"))
        #expect(text.contains(" ✓ r.md:10  expect A0 firing within 1m"))
        #expect(text.contains(" – r.md:11  expect A1 firing within 1m\n     skipped, not passed: needs the monitoring"))
        #expect(text.hasSuffix("report: out/report.html (journal.json, junit.xml, stack logs in stack/)"))
    }

    @Test func failedShowsWhyAndTheFailingDetail() {
        let text = DrillSummary.render(Self.journal(status: .failed, outcomes: [.passed, .failed]), reportDirectory: nil)
        #expect(text.contains("— FAILED"))
        #expect(text.contains("why: r.md:11: broken"))
        #expect(text.contains(" ✗ r.md:11  expect A1 firing within 1m\n     detail 1"))
        #expect(!text.contains("report:"))
    }
}

extension RunnerPartsTests {
    @Test func aLoadStartedAfterDetectionIsTheRemedy() {
        let t = Date(timeIntervalSince1970: 0)
        let events: [DrillJournal.Event] = [
            .init(at: t, kind: .loadStarted, label: "drifted load"),
            .init(at: t + 20, kind: .alertFiring, label: "DataDriftHigh firing"),
            .init(at: t + 22, kind: .loadStopped, label: "load stopped"),
            .init(at: t + 23, kind: .loadStarted, label: "fixed load"),
            .init(at: t + 38, kind: .alertResolved, label: "DataDriftHigh resolved"),
        ]
        let times = TimelineAnalysis.keyTimes(events)
        #expect(times.timeToDetect == 20)
        #expect(times.timeToRecover == 15)
    }
}

extension DrillSummaryTests {
    @Test func fileLevelErrorsNameTheFileWithoutALine() {
        #expect(DrillError(file: "x.md", line: 0, message: "cannot read the runbook").description == "x.md: cannot read the runbook")
        #expect(DrillError(file: "x.md", line: 7, path: "method[0]", message: "m").description == "x.md:7: method[0]: m")
    }
}
