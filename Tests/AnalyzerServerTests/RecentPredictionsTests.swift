import AnalyzerCore
import Testing
@testable import AnalyzerServer

/// The recent predictions feedback resolves against: the last `capacity` ids are found, older ones
/// are not, whatever the interleaving of recording and lookups (the index is built lazily).
@Suite struct RecentPredictionsTests {
    private func prediction(_ n: Int) -> Prediction {
        Prediction(label: "class\(n % 3)", probabilities: nil, value: nil)
    }

    @Test func remembersTheLastCapacityPredictions() {
        let recent = RecentPredictions(capacity: 100)
        for n in 0..<250 {
            recent.record(model: "m\(n % 2)", predictions: [prediction(n)], ids: ["id-\(n)"])
            if n % 37 == 0 { _ = recent.lookup("id-\(n)") }  // lookups in between index part of the ring
        }
        for n in 0..<150 { #expect(recent.lookup("id-\(n)") == nil, "id-\(n) left the ring") }
        for n in 150..<250 {
            let entry = recent.lookup("id-\(n)")
            #expect(entry?.model == "m\(n % 2)")
            #expect(entry?.label == "class\(n % 3)")
        }
        #expect(recent.lookup("id-unknown") == nil)
    }

    @Test func aBatchLargerThanTheRingKeepsItsLastRows() {
        let recent = RecentPredictions(capacity: 10)
        let ids = (0..<25).map { "b-\($0)" }
        recent.record(model: "m", predictions: (0..<25).map(prediction), ids: ids)
        #expect(recent.lookup("b-14") == nil)
        #expect(recent.lookup("b-15")?.label == "class0")
        #expect(recent.lookup("b-24")?.label == "class0")
    }

    @Test func manyLookupsAcrossManyRingsStayCorrect() {
        // The index is pruned once it holds more than twice the ring; ids must still resolve.
        let recent = RecentPredictions(capacity: 8)
        for n in 0..<1_000 {
            recent.record(model: "m", predictions: [Prediction(label: nil, probabilities: nil, value: Double(n))], ids: ["v-\(n)"])
            #expect(recent.lookup("v-\(n)")?.value == Double(n))
            #expect(recent.lookup("v-\(max(0, n - 8))")?.value == (n >= 8 ? nil : Double(max(0, n - 8))))
        }
    }
}
