import Foundation
import Testing

/// End to end: the real `firedrill load` runs `scenarios/drift.yaml`, `predict-peak.yaml` and
/// `degrade.yaml` (shortened with -u/-r/-t) against a real `csv-analyzer serve` on 127.0.0.1, and
/// `/metrics` shows what the alerts watch. Skipped with a reason when `firedrill` is not built.
@Suite(.serialized) struct ScenarioMonitoringTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scenarios")
    static let firedrill = PoolProcess.executable.deletingLastPathComponent().appendingPathComponent("firedrill")
    static let built = FileManager.default.isExecutableFile(atPath: firedrill.path)
    static let skipReason: Comment = "firedrill is not built next to the tests (swift build --build-tests builds it)"

    /// Runs `firedrill load SCENARIO --host URL ARGS`; returns the exit code and output.
    static func load(_ scenario: String, host: String, _ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = firedrill
        process.arguments = ["load", scenarios.appendingPathComponent(scenario + ".yaml").path, "--host", host] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: await reader.value, as: UTF8.self))
    }

    /// The model a scenario trained (its setup names it), from `/api/models`.
    static func model(named name: String, in service: PoolProcess) async throws -> String {
        let models = try await service.request(.GET, "/api/models").json["models"] as? [[String: Any]] ?? []
        return try #require(models.first { $0["name"] as? String == name }?["id"] as? String, "no model named \(name)")
    }

    @Test(.enabled(if: built, skipReason), .timeLimit(.minutes(3)))
    func driftPushesPSIAboveTheAlertWhilePredictPeakStaysBelowPointOne() async throws {
        let service = try PoolProcess([])
        defer { service.stop() }
        let (driftExit, driftOut) = try await Self.load("drift", host: service.url, ["-u", "5", "-r", "50", "-t", "6s"])
        #expect(driftExit == 0, "\(driftOut.suffix(2000))")
        let (peakExit, peakOut) = try await Self.load("predict-peak", host: service.url, ["-u", "50", "-r", "100", "-t", "14s"])
        #expect(peakExit == 0, "\(peakOut.suffix(2000))")
        let drifted = try await Self.model(named: "iris-drift-drill", in: service)
        let peak = try await Self.model(named: "iris-target-logistic_regression", in: service)
        // The gauges are refreshed every 5 s in the background, so one read now may predate the last
        // rows: the drift endpoint publishes the current window's values at once.
        let peakReport = try await service.request(.GET, "/api/models/\(peak)/drift").json
        let driftReport = try await service.request(.GET, "/api/models/\(drifted)/drift").json
        let driftPSI = try await service.metric("model_psi_max", matching: "model=\"\(drifted)\"")
        let peakPSI = try await service.metric("model_psi_max", matching: "model=\"\(peak)\"")
        #expect(driftPSI > 0.2, "drift.yaml: model_psi_max \(driftPSI)")
        // Clean traffic against iris' 120 training rows: the small-sample correction may read 0.
        #expect(try await service.request(.GET, "/metrics").text.contains("model_psi_max{model=\"\(peak)\"}"))
        #expect(peakPSI >= 0 && peakPSI < 0.1, "predict-peak.yaml: model_psi_max \(peakPSI), window \(peakReport["window_size"] ?? "?")")
        #expect(abs(peakPSI - (peakReport["psi_max"] as? Double ?? -1)) < 1e-12 && abs(driftPSI - (driftReport["psi_max"] as? Double ?? -1)) < 1e-12)
        #expect((peakReport["window_size"] as? Int ?? 0) >= 300, "predict-peak.yaml filled the window: \(peakReport["window_size"] ?? "?")")
    }

    @Test(.enabled(if: built, skipReason), .timeLimit(.minutes(3)))
    func degradeScenarioDragsLiveAccuracyBelowTheAlert() async throws {
        let service = try PoolProcess([])
        defer { service.stop() }
        // Only shifted rows (`--tags shifted`): this model gets about 65 % of them right, so ~250 labels
        // put live accuracy ~3 standard errors below 0.75. With the scenario's 1-in-10 clean rows the
        // mean is ~0.68, close enough to 0.75 that a 6 s run (~150 labels) missed it once in CI.
        let (exit, output) = try await Self.load("degrade", host: service.url, ["-u", "10", "-r", "50", "-t", "10s", "--tags", "shifted"])
        #expect(exit == 0, "\(output.suffix(2000))")
        let model = try await Self.model(named: "iris-degrade-drill", in: service)
        let labelled = try await service.metric("model_feedback_total", matching: "model=\"\(model)\"")
        #expect(labelled >= 50, "feedback sent: \(labelled)")
        let live = try await service.metric("model_live_accuracy", matching: "model=\"\(model)\"")
        let test = try await service.metric("model_accuracy", matching: "model=\"\(model)\"")
        #expect(live > 0 && live < 0.75, "degrade.yaml: model_live_accuracy \(live)")
        #expect(test >= 0.9, "the held-out accuracy stays high: \(test)")
    }
}
