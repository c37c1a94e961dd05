import Foundation
import Testing
@testable import LoadKit

/// The model-monitoring scenarios parse and compile, with their feeders: drifted rows for
/// drift.yaml, drifted and clean rows (labels kept) for degrade.yaml.
@Suite struct MonitoringScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scenarios").standardized

    @Test(arguments: ["drift", "degrade"])
    func parses(_ name: String) throws {
        let plan = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("\(name).yaml").path)
        #expect(plan.host == "http://127.0.0.1:8000")
        #expect(!plan.thresholds.isEmpty)
        _ = try CompiledPlan(plan: plan, captureLimit: 1024)
        for feeder in plan.feeders {
            #expect(feeder.rows.count == 150, "\(name).yaml: feeder rows")
            #expect(feeder.columns.last == "target")
        }
    }

    @Test func degradeUsesBothFeeders() throws {
        let plan = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("degrade.yaml").path)
        #expect(plan.feeders.count == 2)
        let drift = try ScenarioLoader.load(path: Self.directory.appendingPathComponent("drift.yaml").path)
        #expect(drift.feeders.count == 1)
    }
}
