import Testing
@testable import LoadKit

/// The one-pass percentiles of the statistics ticks give exactly the library's `valueAtPercentile`.
@Suite struct LatencyHistogramTests {
    @Test func onePassPercentilesMatchTheLibrary() {
        var rng = FastRandom()
        let levels = EntryStats.levels + [0, 0.1, 33.3, 99.999, 100]
        for round in 0..<20 {
            var h = LatencyHistogram.latency()
            let n = 1 + round * 97
            for _ in 0..<n {
                // Mostly sub-millisecond, a tail up to minutes (past the initial 60 s: auto-resize).
                let v = rng.next() % 10 == 0 ? 1 + rng.next() % 90_000_000 : 1 + rng.next() % 900
                _ = h.record(v)
            }
            if round == 3 { _ = h.record(0) }
            #expect(h.values(atPercentiles: levels) == levels.map { h.valueAtPercentile($0) }, "round \(round)")
        }
        #expect(LatencyHistogram.latency().values(atPercentiles: [50, 100]) == [0, 0])
    }
}
