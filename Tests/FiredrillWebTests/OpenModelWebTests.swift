import Foundation
import LoadKit
import Testing
@testable import FiredrillWeb

/// An open-model scenario from the web UI: the form's `rate`, offered vs achieved in the live frames.
@Suite("Load web UI, open model", .serialized)
struct OpenModelWebTests {
    @Test("rate starts an arrival-rate test; frames carry offered, achieved and dropped; the rate cannot change mid-run")
    func openModel() async throws {
        let f = try await WebFixture.start { url in
            try LoadPlan.single(url: url, load: .constantArrival(rate: 5, duration: 30, preAllocatedUsers: 2, maxUsers: 20))
        }
        defer { Task { await f.stop() } }
        let plan = try await f.get("/plan").json
        #expect(plan["open_model"] as? Bool == true)
        #expect(plan["rate"] as? Double == 5)
        #expect(try await f.post("/swarm", form: ["rate": "0", "host": f.targetURL]).status == 400)
        let start = try await f.post("/swarm", form: ["rate": "40", "run_time": "20s", "host": f.targetURL])
        #expect(start.status == 200)
        #expect(try await eventually { try await f.stats().requests >= 40 })
        let frame = try await f.get("/stats/live").json
        #expect(frame["open_model"] as? Bool == true)
        let arrival = try #require(frame["arrival"] as? [String: Any])
        #expect((arrival["currentTargetRate"] as? Double) == 40)
        let point = try #require(frame["point"] as? [String: Any])
        #expect(point["offered"] is Double && point["achieved"] is Double && point["dropped"] is Double)
        let change = try await f.post("/swarm", form: ["rate": "80"])
        #expect(change.status == 409)
        #expect((change.json["error"] as? [String: Any])?["field"] as? String == "rate")
    }
}
