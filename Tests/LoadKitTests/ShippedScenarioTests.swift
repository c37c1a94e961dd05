import Foundation
import Testing
@testable import LoadKit

/// The scenarios under scenarios/ parse, point at csv-analyzer's default address, and run against a
/// stand-in that answers like csv-analyzer's API.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ShippedScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scenarios").standardized
    static let names = ["smoke", "predict-peak", "train-and-predict", "soak", "spike", "ci-gate"]

    @Test(arguments: names)
    func parses(_ name: String) throws {
        let plan = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("\(name).yaml").path)
        #expect(plan.host == "http://127.0.0.1:8000")
        #expect(!plan.thresholds.isEmpty)
        _ = try CompiledPlan(plan: plan, captureLimit: 1024)
    }

    @Test func theIncidentShape() throws {
        let plan = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("predict-peak.yaml").path)
        #expect(plan.load == .closed(users: 100, spawnRate: 10, runTime: 180))
        #expect(plan.feeders.first?.rows.count == 150)
        #expect(plan.feeders.first?.columns == ["sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                                                 "petal width (cm)", "target"])
        let gate = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("ci-gate.yaml").path)
        #expect(gate.load.isOpen)
        #expect(gate.thresholds.contains { $0.name == "predict" && $0.metric == .percentile(95) && $0.bound == 500 })
    }

    @Test(arguments: ["smoke", "predict-peak", "train-and-predict", "ci-gate"])
    func runsAgainstTheAPI(_ name: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        var plan = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("\(name).yaml").path)
        var overrides = PlanOverrides()
        overrides.host = server.url
        overrides.runTime = 30  // a backstop: the run stops once predictions were answered (below)
        overrides.users = 3
        overrides.spawnRate = 100
        plan = try overrides.apply(to: plan)
        plan.stopTimeout = 30  // requests in flight at the stop finish: none counts as a failure
        // The stand-in's model is ready on the second poll; keep the scenario's 1 s interval short here.
        plan.setup = plan.setup.map { r in var r = r; r.poll?.interval = 0.05; return r }
        plan.userClasses = plan.userClasses.map { c in
            var c = c
            c.wait = .constant(0.05)
            c.onStart = c.onStart.map { r in var r = r; r.poll?.interval = 0.05; return r }
            c.tasks = c.tasks.map { t in
                var t = t
                t.requests = t.requests.map { r in var r = r; r.poll?.interval = 0.05; return r }
                return t
            }
            return c
        }
        // Until a prediction was answered, however long setup and on_start take on a loaded machine.
        let summary = try await runUntil(plan) { run in
            run.snapshot.entries.contains { $0.name.contains("predict") && $0.requests > 0 }
        }
        #expect(summary.stats.total.failures == 0, "\(summary.stats.failures)")
        #expect(summary.stats.exceptions.isEmpty, "\(summary.stats.exceptions)")
        #expect(summary.stats.entries.contains { $0.name.contains("predict") && $0.requests > 0 })
    }
}
