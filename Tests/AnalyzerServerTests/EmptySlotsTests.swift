@testable import AnalyzerServer
import Foundation
import Testing

/// The supervisor refills a worker slot left empty, after a delay that doubles while it stays empty.
@Suite struct EmptySlotsTests {
    @Test func anEmptySlotIsRetriedWithBackoffUntilAWorkerHoldsIt() {
        var slots = EmptySlots(initialDelay: 10, maximumDelay: 40)
        let t = Date(timeIntervalSince1970: 0)
        #expect(slots.due(live: [0, 1], desired: 2, now: t).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t).isEmpty, "slot 1 just became empty")
        #expect(slots.due(live: [0], desired: 2, now: t + 9).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 10) == [1])
        // The attempt failed: next try after 20 s, then 40 s, then at most 40 s.
        #expect(slots.due(live: [0], desired: 2, now: t + 11).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 30).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 31) == [1])
        #expect(slots.due(live: [0], desired: 2, now: t + 32).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 72) == [1])
        #expect(slots.due(live: [0], desired: 2, now: t + 73).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 113) == [1])
        // A worker holds it again: the backoff starts over.
        #expect(slots.due(live: [0, 1], desired: 2, now: t + 120).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 121).isEmpty)
        #expect(slots.due(live: [0], desired: 2, now: t + 131) == [1])
    }

    @Test func slotsAboveTheDesiredCountAreNotRefilled() {
        var slots = EmptySlots(initialDelay: 1)
        let t = Date(timeIntervalSince1970: 0)
        #expect(slots.due(live: [], desired: 3, now: t).isEmpty)
        #expect(slots.due(live: [], desired: 1, now: t + 5) == [0], "scaled down to 1: slots 1 and 2 are not wanted")
    }
}
