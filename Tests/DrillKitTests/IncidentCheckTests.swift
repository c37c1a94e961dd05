import Foundation
import Testing
@testable import DrillKit

/// The fidelity score, the coverage search and diagnosis blocks.
@Suite struct IncidentCheckTests {
    // MARK: fidelity

    @Test func orderAgreementIsJaccardTimesPairwiseConcordance() {
        #expect(FidelityScore.orderAgreement(["A", "B", "C"], ["A", "B", "C"]) == 1)
        #expect(FidelityScore.orderAgreement([], []) == 1)
        #expect(FidelityScore.orderAgreement(["A", "B"], ["B", "A"]) == 0)
        // One of three pairs swapped.
        #expect(abs(FidelityScore.orderAgreement(["A", "B", "C"], ["A", "C", "B"]) - 2.0 / 3) < 1e-12)
        // C missing: Jaccard 2/3, the common pair in order.
        #expect(abs(FidelityScore.orderAgreement(["A", "B", "C"], ["A", "B"]) - 2.0 / 3) < 1e-12)
        // An extra alert in the drill costs as much as a missing one.
        #expect(abs(FidelityScore.orderAgreement(["A", "B"], ["A", "X", "B"]) - 2.0 / 3) < 1e-12)
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A record of 11 steps of 30 incident seconds, and a run at 1/30 sampling it every wall second.
    static func pair(rateOffset: Double, alerts: [String]) -> (IncidentRecord, DrillJournal) {
        let rates: [Double?] = (0...10).map { Double($0 * 10) }
        let record = IncidentRecord(job: "j", from: start, to: start.addingTimeInterval(10), incidentSecondsPerSecond: 30, step: 30,
                                    curves: ["request_rate": rates, "memory_ratio": (0...10).map { Double($0) / 10 }],
                                    alerts: [.init(name: "A", firingAt: 60), .init(name: "B", firingAt: 120)])
        let series = (0...10).map { i in
            DrillJournal.Point(at: start.addingTimeInterval(Double(i)), users: 1, requestsPerSecond: Double(i * 10) + rateOffset,
                               errorRatio: nil, p95Seconds: nil, memoryBytes: Double(i), memoryLimitBytes: 10, firing: [])
        }
        var timeline = [DrillJournal.Event(at: start, kind: .loadStarted, label: "load")]
        for (i, name) in alerts.enumerated() {
            timeline.append(.init(at: start.addingTimeInterval(Double(2 + i)), kind: .alertFiring, label: "\(name) firing"))
        }
        let journal = DrillJournal(title: "T", runbook: "r.md", status: .completed, deviated: false, startedAt: start,
                                   endedAt: start.addingTimeInterval(11), stack: .init(kind: "local", serviceURL: "http://127.0.0.1:1"),
                                   timeScale: 1.0 / 30, variables: [:], steadyStateBefore: [], steadyStateAfter: [], steps: [],
                                   rollbacks: [], timeline: timeline, series: series, keyTimes: .init(), reason: nil)
        return (record, journal)
    }

    @Test func aRunThatMatchesTheIncidentScoresOne() throws {
        let (record, journal) = Self.pair(rateOffset: 0, alerts: ["A", "B"])
        let score = try #require(FidelityScore.compute(record: record, journal: journal))
        #expect(score.curves.map(\.curve) == ["request_rate", "memory_ratio"])
        #expect(score.curves.allSatisfy { $0.distance < 1e-9 && $0.points == 11 })
        #expect(score.orderAgreement == 1 && abs(score.score - 1) < 1e-9)
    }

    @Test func offCurvesAndSwappedAlertsScoreLess() throws {
        let (record, journal) = Self.pair(rateOffset: 20, alerts: ["B", "A"])
        let score = try #require(FidelityScore.compute(record: record, journal: journal))
        // Off by 20 req/s everywhere against a peak of 100: distance 0.2.
        #expect(abs(score.curves[0].distance - 0.2) < 1e-9)
        #expect(score.orderAgreement == 0)
        #expect(abs(score.score - 0.5 * (0.8 + 1) / 2) < 1e-9)
        var noLoad = journal
        noLoad.timeline = []
        #expect(FidelityScore.compute(record: record, journal: noLoad) == nil)
    }

    // MARK: coverage search

    /// A fault breaching from `breach` and paging from `page` (nil: never), counting probes.
    final class Fake: @unchecked Sendable {
        var probed: [Int] = []
        let breach: Int?, page: Int?
        init(breach: Int?, page: Int?) { self.breach = breach; self.page = page }
        func probe(_ i: Int) -> CoverageSearch.Probe {
            probed.append(i)
            return .init(breached: breach.map { i >= $0 } ?? false, paged: page.map { i >= $0 } ?? false ? ["Alert"] : [])
        }
    }

    @Test func aFaultThatBreachesBeforeItPagesIsSilent() async throws {
        let fake = Fake(breach: 1, page: 3)
        let r = try await CoverageSearch.run(fault: "errors", labels: ["a", "b", "c", "d", "e"], canProbe: { true }) { fake.probe($0) }
        #expect(r.breachesAt == 1 && r.pagesAt == 3 && r.silent && !r.incomplete)
        #expect(fake.probed.count <= 5)
        #expect(Set(fake.probed).count == fake.probed.count, "no intensity probed twice")
    }

    @Test func aFaultThatPagesWhereItBreachesIsCovered() async throws {
        let fake = Fake(breach: 2, page: 2)
        let r = try await CoverageSearch.run(fault: "latency", labels: (0..<8).map(String.init), canProbe: { true }) { fake.probe($0) }
        #expect(r.breachesAt == 2 && r.pagesAt == 2 && !r.silent)
        #expect(fake.probed.count <= 4)  // the strongest, then log2(8) at most
        let early = Fake(breach: 3, page: 1)
        let e = try await CoverageSearch.run(fault: "x", labels: ["a", "b", "c", "d"], canProbe: { true }) { early.probe($0) }
        #expect(e.breachesAt == 3 && e.pagesAt == 1 && !e.silent)
    }

    @Test func aFaultThatNeverBreachesCostsOneProbe() async throws {
        let fake = Fake(breach: nil, page: nil)
        let r = try await CoverageSearch.run(fault: "model_degrade", labels: ["a", "b", "c"], canProbe: { true }) { fake.probe($0) }
        #expect(fake.probed == [2] && r.breachesAt == nil && !r.silent)
    }

    @Test func theBudgetStopsTheSearchAndSaysSo() async throws {
        let fake = Fake(breach: 0, page: 2)
        var left = 2
        let r = try await CoverageSearch.run(fault: "errors", labels: ["a", "b", "c", "d"], canProbe: { left -= 1; return left >= 0 }) {
            fake.probe($0)
        }
        #expect(fake.probed.count == 2 && r.incomplete)
        #expect(CoverageReport.table([r]).contains("incomplete (budget)") || r.silent)
    }

    @Test func theReportsShowSilentFaults() {
        let r = CoverageSearch.Result(fault: "errors", labels: ["1 %", "20 %"], probes: [0: .init(breached: true, paged: []),
                                                                                     1: .init(breached: true, paged: ["HighErrorRate"])],
                                      breachesAt: 0, pagesAt: 1, incomplete: false)
        #expect(CoverageReport.hasSilent([r]))
        #expect(CoverageReport.table([r]).contains("SILENT: breaches the SLO at 1 % and nothing pages"))
        let html = CoverageReport.html([r])
        #expect(html.contains("class=\"silent\">1 %") && html.contains("class=\"covered\">20 %"))
        #expect(throws: ControlError.self) { try CoverageFault.named(["errors", "bogus"]) }
        #expect(CoverageFault.catalog.allSatisfy { 
            $0.labels.count == $0.injections.count && $0.injections.allSatisfy { injection in
                guard case .service(let spec) = injection else { return true }
                return (try? spec.validate()) != nil
            }
        })
    }

    // MARK: diagnosis blocks

    static let runbook = """
        # X
        ## Diagnosis
        ```promql diagnosis min=0.9
        csv_analyzer_resident_memory_bytes / process_memory_limit_bytes
        ```
        ```sh
        not checked
        ```
        ```sh diagnosis top=components.feature_cache contains=worker
        curl -s "$URL/admin/memory"
        ```
        """

    @Test func diagnosisBlocksAreFoundWithTheirChecks() throws {
        let blocks = try DiagnosisBlock.all(in: Self.runbook, file: "x.md")
        #expect(blocks.count == 2)
        #expect(blocks[0].language == .promql && blocks[0].checks == [.min(0.9)] && blocks[0].line == 3)
        #expect(blocks[1].checks == [.top(object: "components", key: "feature_cache"), .contains("worker")])
        #expect(blocks[0].judge(samples: [0.5, 0.95]) == nil)
        #expect(blocks[0].judge(samples: [0.5])?.contains("no sample within min=0.9") == true)
        #expect(blocks[0].judge(samples: []) == "no sample")
        let leak = #"{"workers":[{"worker":0,"resident_bytes":900,"components":{"feature_cache":500,"models":10}},{"worker":1,"components":{"feature_cache":0,"models":20}}]}"#
        #expect(blocks[1].judge(output: leak, exitCode: 0) == nil)
        let healthy = #"{"workers":[{"worker":0,"components":{"feature_cache":0,"models":10}}]}"#
        #expect(blocks[1].judge(output: healthy, exitCode: 0)?.contains("the largest under 'components' is models") == true)
        #expect(blocks[1].judge(output: leak, exitCode: 7)?.hasPrefix("exit 7") == true)
    }

    @Test func badDiagnosisBlocksNameTheirLine() {
        for (text, message) in [("```python diagnosis\nx\n```", "promql or sh"), ("```promql diagnosis min=x\nq\n```", "expected a number"),
                                ("```sh diagnosis min=1\nq\n```", "not a check of a sh block"), ("```promql diagnosis\n\n```", "empty")] {
            do {
                _ = try DiagnosisBlock.all(in: "# R\n" + text, file: "r.md")
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".hasPrefix("r.md:2:") && "\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func aDiagnoseStepNeedsDiagnosisBlocks() throws {
        let drill = "```drill\ntitle: t\nmethod:\n  - diagnose: {within: 30s}\n```\n"
        #expect(throws: DrillError.self) { try Runbook.parse(markdown: "# R\n" + drill, file: "r.md") }
        let runbook = try Runbook.parse(markdown: Self.runbook + "\n" + drill, file: "r.md")
        #expect(runbook.drill.method.map(\.kind) == [.diagnose(within: PromDuration("30s")!)])
    }

    @Test func loadStepsTakeAnArrivalShapeStrictly() throws {
        let good = "```drill\ntitle: t\nmethod:\n  - load:\n      action: start\n      scenario: s.yaml\n      arrival:\n        start_rate: 2\n        stages:\n          - {duration: 1m, target: 40}\n```\n"
        let drill = try Runbook.parse(markdown: good, file: "r.md").drill
        #expect(drill.method[0].kind == .load(.start(scenario: "s.yaml", arrival: .init(
            startRate: 2, stages: [.init(duration: 60, target: 40)], maxUsers: 500))))
        for (bad, message) in [("stages: []", "needs at least one stage"), ("stages: [{duration: 1m, target: -1}]", "must be 0 or more"),
                               ("stages: [{duration: 1m}]", "missing required field 'target'"), ("stages: [{duration: 1m, target: 1}]\n        max_user: 3", "did you mean")] {
            let text = good.replacingOccurrences(of: "start_rate: 2\n        stages:\n          - {duration: 1m, target: 40}", with: bad)
            do {
                _ = try Runbook.parse(markdown: text, file: "r.md")
                Issue.record("accepted: \(bad)")
            } catch {
                #expect("\(error)".contains("method[0].load.arrival") && "\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func runbookLinksResolveAgainstTheRunbooksFolder() {
        let text = "| [MemoryNearLimit](memory-near-limit.md) | … [README](../README.md#drills), [site](https://example.com/x.md), [top](#impact)"
        let linked = DrillRunner.linkedFiles(text, from: URL(fileURLWithPath: "/repo/runbooks"))
        #expect(linked == ["/repo/runbooks/memory-near-limit.md", "/repo/README.md"])
    }
}
