import Foundation
import Testing
@testable import DrillKit
@testable import GateKit

/// `firedrill compare` on two drill journals: pass/fail and the key times.
@Suite struct JournalComparisonTests {
    static func journal(passed: Bool = true, detect: Double?, notify: Double? = nil, recover: Double? = nil,
                        scale: Double = 1.0 / 30) -> DrillJournal {
        let t = Date(timeIntervalSince1970: 1_000)
        return DrillJournal(
            title: "T", runbook: "r.md", status: passed ? .completed : .failed, deviated: false, startedAt: t,
            endedAt: t + 60, stack: .init(kind: "local", serviceURL: "http://127.0.0.1:1"), timeScale: scale,
            variables: [:], steadyStateBefore: [], steadyStateAfter: [], steps: [], rollbacks: [], timeline: [],
            series: [], keyTimes: .init(timeToDetect: detect, timeToNotify: notify, timeToRecover: recover), reason: nil)
    }

    static func verdicts(_ base: DrillJournal, _ new: DrillJournal) throws -> [String: Verdict] {
        let report = try JournalComparison.compare(base: base, new: new, baseLabel: "base", newLabel: "new", settings: GateSettings())
        return Dictionary(uniqueKeysWithValues: report.rows.map { ($0.metric, $0.verdict) })
    }

    @Test func slowerDetectionAndAFailedDrillAreWorse() throws {
        let v = try Self.verdicts(Self.journal(detect: 10, notify: 12, recover: 5),
                                  Self.journal(passed: false, detect: 20, notify: 12.5, recover: nil))
        #expect(v["passed"] == .worse && v["time to detect"] == .worse)
        #expect(v["time to notify"] == .same)  // within the 1 s resolution
        #expect(v["time to recover"] == .worse)  // recovered before, not now
    }

    @Test func fasterDetectionIsBetterAndTheFileKindIsDetected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gate-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.json")
        try JournalJSON.encode(Self.journal(detect: 30)).write(to: a)
        try JournalJSON.encode(Self.journal(detect: 10)).write(to: b)
        let report = try ComparisonInput.compare(try ComparisonInput.read(a.path), try ComparisonInput.read(b.path),
                                                 baseLabel: "a", newLabel: "b", settings: GateSettings())
        #expect(report.kind == "drill journals")
        #expect(report.rows.first { $0.metric == "time to detect" }?.verdict == .better)
        #expect(!report.fails(failOnInconclusive: false))
    }

    @Test func inconclusiveFailsOnlyWhenAskedTo() throws {
        let report = try JournalComparison.compare(base: Self.journal(detect: nil), new: Self.journal(detect: 5),
                                                   baseLabel: "a", newLabel: "b", settings: GateSettings())
        #expect(report.inconclusive.count == 1 && report.regressions.isEmpty)
        #expect(!report.fails(failOnInconclusive: false) && report.fails(failOnInconclusive: true))
        #expect(MarkdownReport.render(report, failOnInconclusive: true).contains("⚠️ **inconclusive**"))
    }

    @Test func differentTimeScalesAreRefused() {
        #expect(throws: GateError.self) {
            try JournalComparison.compare(base: Self.journal(detect: 1), new: Self.journal(detect: 1, scale: 1),
                                          baseLabel: "a", newLabel: "b", settings: GateSettings())
        }
    }
}
