import Foundation
import Testing
@testable import AnalyzerServer

/// Prediction ids are lowercase version-7 UUIDs: unique, and ordered by the time they were made.
@Suite struct PredictionIDTests {
    @Test func idsAreLowercaseVersion7UUIDs() throws {
        let ids = PredictionID.make(1_000)
        #expect(ids.count == 1_000 && Set(ids).count == 1_000)
        let pattern = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for id in ids {
            #expect(id.wholeMatch(of: pattern) != nil, "\(id)")
            // Foundation reads it back as the same UUID.
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
        }
        #expect(PredictionID.make(0).isEmpty)
    }

    /// The random bits come from a pool refilled 1,024 words at a time: ids made across many
    /// refills and calls are still all different, in their random part too.
    @Test func idsStayUniqueAcrossRandomPoolRefills() {
        var ids: [String] = []
        for _ in 0..<40 { ids += PredictionID.make(250) }
        #expect(ids.count == 10_000 && Set(ids).count == 10_000)
        #expect(Set(ids.map { $0.suffix(17) }).count == 10_000)
    }

    @Test func idsCarryTheirTimeAndSortByIt() throws {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = try #require(PredictionID.make(1).first)
        let millis = try #require(PredictionID.millis(of: id))
        #expect(millis >= now && millis < now + 1_000)
        let earlier = PredictionID.make(millis: 1_700_000_000_000, random: .max, .max)
        let later = PredictionID.make(millis: 1_700_000_000_001, random: 0, 0)
        #expect(earlier < later)
        #expect(earlier == "018bcfe5-6800-7fff-bfff-ffffffffffff")
        #expect(later == "018bcfe5-6801-7000-8000-000000000000")
        #expect(PredictionID.millis(of: later) == 1_700_000_000_001)
        #expect(PredictionID.millis(of: UUID().uuidString.lowercased()) == nil)
    }
}
