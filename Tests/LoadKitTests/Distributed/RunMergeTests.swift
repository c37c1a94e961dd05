import Foundation
import Testing
@testable import LoadKit

@Suite struct RunMergeTests {
    /// A summary file of one process that recorded `latencies` (µs) for GET /a, `failed` of them failed.
    static func file(_ latencies: [UInt64], failed: Int, threshold: String, in dir: URL, name: String) throws -> String {
        var acc = EntryAccumulator()
        for (i, v) in latencies.enumerated() { acc.record(micros: v, bytes: 10, failed: i < failed) }
        let entry = EntryStats(method: "GET", name: "/a", cumulative: acc, elapsed: 10, current: EntryAccumulator(),
                               currentSeconds: 0, window: nil)
        let total = EntryStats(method: "", name: "Aggregated", cumulative: acc, elapsed: 10, current: EntryAccumulator(),
                               currentSeconds: 0, window: nil)
        let snapshot = StatsSnapshot(
            timestamp: Date(), elapsed: 10, phase: .stopped, users: 0, usersByClass: [:], entries: [entry], total: total,
            failures: failed > 0 ? [FailureStats(method: "GET", name: "/a", error: "HTTP 500", occurrences: failed,
                                                 firstSeen: 1, lastSeen: 2)] : [],
            exceptions: [], arrival: nil,
            health: GeneratorHealth(threads: 1, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0, warnings: [], saturated: false))
        let t = try Threshold.parseFlag(threshold)
        let summary = RunSummary(
            startTime: Date(timeIntervalSince1970: 1_800_000_000), endTime: Date(timeIntervalSince1970: 1_800_000_010),
            duration: 10, stats: snapshot,
            history: [HistoryPoint(time: 1_800_000_001, elapsed: 1, span: 1, users: 2, rps: Double(latencies.count),
                                   fps: 0, percentiles: [], totalRequests: latencies.count, totalFailures: failed)],
            thresholds: [ThresholdResult(evaluating: t, in: snapshot)], endReason: "completed", abandonedRequests: 0,
            ramps: [RampRecord(users: 2, startedAt: 0, reachedAt: 1)])
        let plan = LoadPlan(host: "http://127.0.0.1:1", userClasses: [], load: .closed(users: 2, spawnRate: 1, runTime: 10))
        let path = dir.appendingPathComponent(name).path
        try JSONReport(plan: plan, summary: summary).encoded().write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func countsAddAndPercentilesAreThoseOfAllRequests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fast = (0..<900).map { UInt64(1000 + $0) }          // 1.0–1.9 ms
        let slow = (0..<100).map { UInt64(200_000 + $0 * 1000) } // 200–299 ms
        let a = try Self.file(fast, failed: 3, threshold: "p(99) < 250ms", in: dir, name: "a.json")
        let b = try Self.file(slow, failed: 2, threshold: "rate(failed) < 0.01", in: dir, name: "b.json")
        let merged = try RunMerge.merge(paths: [a, b])
        let total = merged.summary.stats.total
        #expect(total.requests == 1000)
        #expect(total.failures == 5)
        #expect(total.minMs == 1.0)
        #expect(total.maxMs == 299.0)
        #expect(total.totalContentBytes == 10_000)
        var all = LatencyHistogram.latency()
        for v in fast + slow { _ = all.record(v) }
        // p99 of the union is in the slow file's range; neither file's own p99 is it.
        #expect(total.percentile(99) == Double(all.valueAtPercentile(99)) / 1000)
        #expect(total.percentile(95) == Double(all.valueAtPercentile(95)) / 1000)
        #expect(merged.summary.stats.failures.first?.occurrences == 5)
        // Both files' thresholds, on the merged data: p99 ≈ 290 ms fails, 0.5 % failures passes.
        #expect(merged.summary.thresholds.map(\.passed) == [false, true])
        #expect(!merged.summary.passed)
        #expect(merged.summary.history.first?.totalRequests == 1000)
    }

    @Test func aFileWithoutHistogramsIsRefusedByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.json").path
        try Data(#"{"host": "x", "summary": {}}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RunRecordError.self) { try RunMerge.merge(paths: [path]) }
        do {
            _ = try RunMerge.merge(paths: [path])
        } catch {
            #expect("\(error)".contains("old.json"))
        }
    }
}
