import Foundation
import Testing
@testable import LoadKit
@testable import WorkerKit

@Suite struct LocustStatsTests {
    static func delta(_ latenciesMicros: [UInt64], failed: Int, at time: Double) -> IntervalDelta {
        var acc = EntryAccumulator()
        for (i, v) in latenciesMicros.enumerated() { acc.record(micros: v, bytes: 5, failed: i < failed) }
        let failures = failed > 0
            ? [FailureStats(method: "GET", name: "/a", error: "HTTP 500", occurrences: failed, firstSeen: time, lastSeen: time)] : []
        return IntervalDelta(
            time: Date(timeIntervalSince1970: time), seconds: 1,
            entries: [IntervalDelta.Entry(method: "GET", name: "/a", acc)],
            total: IntervalDelta.Entry(method: "", name: "Aggregated", acc), failures: failures)
    }

    @Test func reportsWhatHappenedSinceTheLastReportInLocustsForm() throws {
        let stats = LocustStats()
        stats.add(Self.delta([1_000, 2_400, 147_000], failed: 1, at: 1_800_000_000.9))
        stats.add(Self.delta([3_432_000], failed: 1, at: 1_800_000_001.9))
        let report = stats.report(userClassesCount: ["Visitor": 3], userCount: 3)
        guard case .array(let entries)? = report["stats"], let e = entries.first else {
            Issue.record("no stats entries")
            return
        }
        #expect(entries.count == 1)
        #expect(e["name"] == .string("/a"))
        #expect(e["method"] == .string("GET"))
        #expect(e["num_requests"]?.intValue == 4)
        #expect(e["num_failures"]?.intValue == 2)
        #expect(e["total_content_length"]?.intValue == 20)
        #expect(e["max_response_time"]?.doubleValue == 3432)
        #expect(e["min_response_time"]?.doubleValue == 1)
        let sum: Double = 1 + 2.4 + 147 + 3432
        #expect(e["total_response_time"]?.doubleValue == sum)
        // Locust's buckets: 1, 2, 150 (2 digits), 3400.
        let buckets = e["response_times"]?.mapValue?.map { ($0.0.intValue!, $0.1.intValue!) } ?? []
        #expect(buckets.map(\.0) == [1, 2, 150, 3400])
        #expect(e["num_reqs_per_sec"]?.mapValue?.map { $0.1.intValue! } == [3, 1])
        #expect(report["stats_total"]?["name"] == .string("Aggregated"))
        #expect(report["stats_total"]?["method"] == .string(""))
        guard case .map(let errors)? = report["errors"] else { Issue.record("no errors"); return }
        #expect(errors.count == 1)
        #expect(errors[0].1["occurrences"]?.intValue == 2)
        #expect(errors[0].1["error"] == .string("HTTP 500"))
        #expect(report["user_count"]?.intValue == 3)
        // The next report starts over, as Locust's get_stripped_report does.
        let next = stats.report(userClassesCount: [:], userCount: 0)
        #expect(next["stats"] == .array([]))
        #expect(next["stats_total"]?["num_requests"]?.intValue == 0)
        #expect(next["stats_total"]?["min_response_time"] == .nil_)
    }
}
