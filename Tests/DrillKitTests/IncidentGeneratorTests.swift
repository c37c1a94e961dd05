import Foundation
import Testing
@testable import DrillKit

/// `firedrill drill generate`'s pure parts: curve → stages, alert spans and order, inference, the runbook it writes.
@Suite struct IncidentGeneratorTests {
    /// A ramp to 60/s over 60 s, a hold, a spike to 120/s and back, a fall to 10/s.
    static let curve: [Double?] = (0..<121).map { i -> Double? in
        let t = Double(i)
        switch t {
        case ..<60: return t
        case ..<80: return 60
        case ..<85: return 60 + (t - 80) * 12
        case ..<90: return 120 - (t - 85) * 12
        default: return max(10, 60 - (t - 90) * 2)
        }
    }

    @Test func stagesReplayEverySampleWithinTheTolerance() throws {
        let (start, stages) = try #require(CurveStages.stages(Self.curve, step: 1, tolerance: 0.05))
        #expect(start == 0)
        #expect(stages.count >= 4 && stages.count <= 10)
        #expect(stages.reduce(0) { $0 + $1.duration } == 120)
        for (i, value) in Self.curve.enumerated() {
            let replayed = CurveStages.rate(at: Double(i), startRate: start, stages: stages)
            #expect(abs(replayed - value!) <= 0.05 * 120 + 0.01, "sample \(i): \(value!) replayed as \(replayed)")
        }
    }

    @Test func aFlatCurveIsOneStageAndGapsAreSkipped() throws {
        let (start, stages) = try #require(CurveStages.stages([20, 20, nil, 20, 20], step: 30))
        #expect(start == 20)
        #expect(stages == [.init(duration: 120, target: 20)])
        #expect(CurveStages.stages([5], step: 1) == nil)
        #expect(CurveStages.stages([nil, nil, 3], step: 1) == nil)
    }

    @Test func theStageCountIsCapped() throws {
        let noisy: [Double?] = (0..<200).map { Double($0 % 2 == 0 ? 10 : 90) }
        let (_, stages) = try #require(CurveStages.stages(noisy, step: 1, tolerance: 0.01, maxStages: 8))
        #expect(stages.count <= 8)
    }

    static func series(_ labels: [String: String], _ times: [Double]) -> PrometheusClient.RangeSeries {
        .init(labels: labels, points: times.map { ($0, 1) })
    }

    @Test func alertSpansComeInFiringOrderWithTheirResolution() {
        let series = [
            Self.series(["alertname": "HighErrorRate", "severity": "critical", "job": "api"], Array(stride(from: 130.0, through: 150, by: 5))),
            Self.series(["alertname": "MemoryNearLimit", "severity": "major", "job": "api", "instance": "a"], [110, 115, 120]),
            Self.series(["alertname": "MemoryNearLimit", "severity": "major", "job": "api", "instance": "b"], [125, 190, 195, 200]),
            Self.series(["alertname": "Watchdog"], Array(stride(from: 100.0, through: 200, by: 5))),
            Self.series(["alertname": "MonitoringTargetDown", "job": "node"], [105]),
            Self.series(["alertname": "HostDiskSpaceLow"], [180, 185]),
        ]
        let spans = AlertSpans.spans(series, job: "api", start: 100, end: 200, step: 5, scale: 30)
        #expect(spans.map(\.name) == ["MemoryNearLimit", "HighErrorRate", "HostDiskSpaceLow"])
        // Its two series merge: firing from 110 to 125, then a gap: resolved at 130 (incident seconds ×30).
        #expect(spans[0] == .init(name: "MemoryNearLimit", severity: "major", firingAt: 300, resolvedAt: 900))
        #expect(spans[1].firingAt == 900 && spans[1].resolvedAt == 1650)  // last sample 150 + one step
        #expect(spans[2].resolvedAt == 2700)
    }

    @Test func inferenceReadsTheSetupTheHotfixAndThePatch() {
        var s = IncidentInference.Signals()
        let n = 40
        s.workersDesired = (0..<n).map { $0 < 20 ? 2 : 4 }
        s.workersDesired[19] = nil  // a scrape missed during the change
        s.memoryLimit = Array(repeating: 512 * 1_048_576, count: n)
        // 100 rows/step leak 100 × 32 × 3000 bytes/step until the patch at step 30.
        s.featureCache = (0..<n).map { $0 < 30 ? Double($0) * 100 * 32 * 3000 : 0 }
        s.predictions = (0..<n).map { Double($0) * 100 }
        s.requests = (0..<n).map { Double($0) * 100 }
        s.restarts["max_requests"] = (0..<n).map { $0 <= 20 ? 0 : Double(($0 - 20) / 4) }  // one recycle per 400 requests
        s.restarts["rolling"] = (0..<n).map { $0 < 30 ? 0 : 4 }
        let setup = IncidentInference.setup(s, firstAlert: 15)
        #expect(setup.workers == 2 && setup.memoryLimitBytes == 512 * 1_048_576 && setup.legacy && setup.leakScale == 3000)
        #expect(setup.maxRequests == nil)
        let actions = IncidentInference.actions(s)
        #expect(actions.map(\.index) == [20, 30])
        #expect(actions[0].kind == .scale(workers: 4, maxRequests: 400))
        #expect(actions[1].kind == .restart(patched: true))
    }

    static func reading() -> IncidentReader.Reading {
        let from = Date(timeIntervalSince1970: 1_800_000_000)
        let record = IncidentRecord(
            job: "csv-analyzer", from: from, to: from.addingTimeInterval(120), incidentSecondsPerSecond: 30, step: 30,
            curves: ["request_rate": curve, "error_ratio": (0..<121).map { $0 > 70 && $0 < 90 ? 0.2 : 0 },
                     "memory_ratio": (0..<121).map { Double(min($0, 80)) / 85 }],
            routes: ["/api/models/{id}/predict": curve], alerts: [
                .init(name: "MemoryNearLimit", severity: "major", firingAt: 2100, resolvedAt: 2800),
                .init(name: "HighErrorRate", severity: "critical", firingAt: 2250, resolvedAt: 2700),
            ])
        var signals = IncidentInference.Signals()
        signals.workersDesired = (0..<121).map { $0 < 80 ? 2 : 4 }
        return .init(record: record, signals: signals)
    }

    @Test func theRunbookIsAValidDrillExpectingTheAlertsInOrder() throws {
        let markdown = try DrillGenerator(options: .init()).markdown(Self.reading())
        let runbook = try Runbook.parse(markdown: markdown, file: "generated.md")
        let expectations = runbook.drill.method.compactMap { step -> String? in
            if case .expectAlert(let name, let state, _, _) = step.kind { return "\(name) \(state.rawValue)" } else { return nil }
        }
        #expect(expectations == ["MemoryNearLimit firing", "HighErrorRate firing", "HighErrorRate resolved", "MemoryNearLimit resolved"])
        #expect(runbook.drill.timeScale == 1.0 / 30)
        let load = runbook.drill.method.first { if case .load(.start) = $0.kind { true } else { false } }
        guard case .load(.start(_, _, _, _, _, _, let arrival?))? = load?.kind else { Issue.record("no arrival load"); return }
        #expect((arrival.stages.map(\.target).max() ?? 0) >= 100)
        #expect(runbook.drill.method.contains { $0.kind == .act(.scale(workers: 4, maxRequests: nil)) })
        // The scale comes after HighErrorRate fired (+37m30s) and before it resolved.
        let kinds = runbook.drill.method.map(\.kind)
        let scale = try #require(kinds.firstIndex(of: .act(.scale(workers: 4, maxRequests: nil))))
        let fired = try #require(kinds.firstIndex { if case .expectAlert("HighErrorRate", .firing, _, _) = $0 { true } else { false } })
        #expect(fired < scale)
        let embedded = try #require(try IncidentRecord.embedded(in: markdown, file: "generated.md"))
        #expect(embedded.alertOrder == ["MemoryNearLimit", "HighErrorRate"])
        #expect(embedded.curves["request_rate"]?.count == 121)
    }

    @Test func withinIsTheObservedDelayWithSlackAndAFloor() {
        let generator = DrillGenerator(options: .init())
        #expect(generator.within(600, step: 30) == PromDuration("21m")!)  // 2 × 10m + 2 steps
        #expect(generator.within(0, step: 30) == PromDuration("7m30s")!)   // 15 s wall at 1/30
    }

    @Test func aBrokenIncidentBlockNamesItsLine() throws {
        let text = "# X\n\n```incident\n{\"job\": 1}\n```\n"
        #expect(throws: DrillError.self) { try IncidentRecord.embedded(in: text, file: "x.md") }
        do { _ = try IncidentRecord.embedded(in: text, file: "x.md") } catch { #expect("\(error)".hasPrefix("x.md:3:")) }
        let none = try? IncidentRecord.embedded(in: "# none\n", file: "x.md")
        #expect(none == .some(nil))
    }

    @Test func alertmanagerAddsAlertsTheSeriesLack() {
        let start = Date(timeIntervalSince1970: 1000), end = Date(timeIntervalSince1970: 1100)
        let held = [
            AlertmanagerAlert(name: "StoreUnavailable", state: "active", labels: ["severity": "critical", "job": "api"],
                              startsAt: Date(timeIntervalSince1970: 1050), fingerprint: "a"),
            AlertmanagerAlert(name: "Old", state: "active", labels: [:], startsAt: Date(timeIntervalSince1970: 900), fingerprint: "b"),
            AlertmanagerAlert(name: "HighErrorRate", state: "active", labels: [:], startsAt: Date(timeIntervalSince1970: 1060), fingerprint: "c"),
            AlertmanagerAlert(name: "Other", state: "active", labels: ["job": "node"], startsAt: Date(timeIntervalSince1970: 1010), fingerprint: "d"),
        ]
        let spans = AlertSpans.merging([.init(name: "HighErrorRate", firingAt: 30)], alertmanager: held, job: "api", start: start, end: end, scale: 2)
        #expect(spans.map(\.name) == ["HighErrorRate", "StoreUnavailable"])
        #expect(spans[1].firingAt == 100 && spans[1].severity == "critical")
    }

    @Test func alertsFiringTogetherAreOrderedByWhenTheyWentPending() {
        let series = [
            Self.series(["alertname": "MemoryErrors", "alertstate": "firing"], [120, 125]),
            Self.series(["alertname": "MemoryNearLimit", "alertstate": "firing"], [120, 125]),
            Self.series(["alertname": "MemoryErrors", "alertstate": "pending"], [115]),
            Self.series(["alertname": "MemoryNearLimit", "alertstate": "pending"], [105, 110, 115]),
        ]
        let spans = AlertSpans.spans(series, job: "api", start: 100, end: 200, step: 5, scale: 1)
        #expect(spans.map(\.name) == ["MemoryNearLimit", "MemoryErrors"])
        #expect(spans[0].pendingAt == 5 && spans[1].pendingAt == 15)
        // The run's journal is read the same way.
        let t = Date(timeIntervalSince1970: 0)
        let events: [DrillJournal.Event] = [
            .init(at: t.addingTimeInterval(1), kind: .alertPending, label: "B pending"),
            .init(at: t.addingTimeInterval(2), kind: .alertPending, label: "A pending"),
            .init(at: t.addingTimeInterval(5), kind: .alertFiring, label: "A firing"),
            .init(at: t.addingTimeInterval(5), kind: .alertFiring, label: "B firing"),
        ]
        #expect(FidelityScore.firingOrder(events) == ["B", "A"])
    }
}

