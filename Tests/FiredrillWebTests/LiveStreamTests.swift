import AsyncHTTPClient
import Foundation
import LoadKit
import NIOCore
import Testing
@testable import FiredrillWeb

/// The page's live feed (`/stream`, server-sent events) and the page itself.
@Suite("Load web UI stream", .serialized)
struct LiveStreamTests {
    @Test("/stream sends frames with the state, Locust's stats and chart points as the test runs")
    func streamFrames() async throws {
        let f = try await WebFixture.start()
        defer { Task { await f.stop() } }
        _ = try await f.post("/swarm", form: ["user_count": "2", "spawn_rate": "100", "host": f.targetURL])
        let request = HTTPClientRequest(url: f.uiURL + "/stream")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
        var text = ""
        var frames: [[String: Any]] = []
        for try await chunk in response.body {
            text += String(buffer: chunk)
            while let end = text.range(of: "\n\n") {
                let event = String(text[..<end.lowerBound])
                text.removeSubrange(..<end.upperBound)
                guard event.hasPrefix("data: ") else { continue }
                let json = try JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any]
                frames.append(json ?? [:])
            }
            if frames.contains(where: { ($0["point"] as? [String: Any])?["rps"] as? Double ?? 0 > 0 }) { break }
        }
        let last = try #require(frames.last)
        #expect(["spawning", "running"].contains(last["state"] as? String ?? ""))
        let point = try #require(last["point"] as? [String: Any])
        for key in ["time", "users", "rps", "fps", "p50", "p95", "p99", "cpu", "lag", "saturated"] {
            #expect(point[key] != nil, "point.\(key)")
        }
        #expect((last["stats"] as? [String: Any])?["stats"] is [Any])
        // Sequence numbers only move forward, one frame per change.
        let seqs = frames.compactMap { $0["seq"] as? Int }
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        let history = try await f.get("/stats/history")
        #expect(((try JSONSerialization.jsonObject(with: Data(history.body.utf8))) as? [Any])?.isEmpty == false)
    }

    @Test("the page and the form defaults from the scenario")
    func pageAndPlan() async throws {
        let f = try await WebFixture.start { url in
            try LoadPlan.single(url: url, load: .closed(users: 7, spawnRate: 3, runTime: 30))
        }
        defer { Task { await f.stop() } }
        let page = try await f.get("/")
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.body.contains("id=\"swarm-form\""))
        let plan = try await f.get("/plan").json
        #expect(plan["user_count"] as? Int == 7)
        #expect(plan["spawn_rate"] as? Double == 3)
        #expect(plan["run_time"] as? Double == 30)
        #expect(plan["host"] as? String == f.targetURL)
        #expect(plan["open_model"] as? Bool == false)
        #expect(try await f.get("/stats/report").status == 404)
    }
}
