@testable import DrillKit
import Foundation
import Testing

/// `PromDuration` and `RuleScaler` on the repository's real alerts.yml.
@Suite struct RuleScalerTests {
    static let alertsURL = RunbookTests.repo.appendingPathComponent("alerts.yml")

    @Test func durations() {
        #expect(PromDuration("1h30m")?.milliseconds == 5_400_000)
        #expect(PromDuration("250ms")?.description == "250ms")
        #expect(PromDuration("90s")?.description == "1m30s")
        #expect(PromDuration("5 m") == nil)
        #expect(PromDuration("") == nil)
        #expect(PromDuration("5")?.milliseconds == 5000)  // bare seconds, as every surface reads them
        #expect(PromDuration("1.5s")?.description == "1s500ms")
        #expect(PromDuration("5m")!.scaled(by: 1.0 / 30).description == "10s")
        #expect(PromDuration("10s")!.scaled(by: 1.0 / 30).description == "1s")
    }

    @Test func scalesSelectorsOffsetsAndFor() throws {
        let text = """
            - alert: A
              expr: rate(x[5m]) > 0 and max_over_time(y[1h:30s]) > 0 and z offset 10m and w[1m:] and v{a=~"[0-9]"}
              for: 5m
              keep_firing_for: 1h
            """
        let scaled = try RuleScaler.scale(alertsYAML: text, factor: 1.0 / 30)
        #expect(scaled == """
            - alert: A
              expr: rate(x[10s]) > 0 and max_over_time(y[2m:1s]) > 0 and z offset 20s and w[2s:] and v{a=~"[0-9]"}
              for: 10s
              keep_firing_for: 2m
            """)
        #expect(throws: ControlError.self) { try RuleScaler.scale(alertsYAML: text, factor: 0) }
    }

    @Test func realAlertsFile() throws {
        let original = try String(contentsOf: Self.alertsURL, encoding: .utf8)
        let scaled = try RuleScaler.scale(alertsYAML: original, factor: 1.0 / 30)
        #expect(original.contains("for: 5m") && original.contains("[1m]"))
        #expect(!scaled.contains("for: 5m"))
        #expect(scaled.contains("for: 10s"))
        #expect(!scaled.contains("[1m]"))
        #expect(scaled.contains("[2s]"))
        #expect(scaled.contains("for: 2s"))  // HighErrorRate's `for: 1m`
        #expect(scaled.contains("[20s]"))    // WorkerRestartLoop's `[10m]`
        // Only durations changed: the same number of lines, annotations untouched.
        #expect(scaled.split(separator: "\n", omittingEmptySubsequences: false).count
                == original.split(separator: "\n", omittingEmptySubsequences: false).count)
        #expect(scaled.contains("runbook_url: runbooks/memory-near-limit.md"))
    }

    /// promtool's path, when it is on PATH.
    static let promtool: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: RuleScalerTests.promtool != nil, "promtool is not on PATH: cannot check the scaled rules"))
    func promtoolAcceptsScaledRules() throws {
        let promtool = try #require(Self.promtool)
        let scaled = try RuleScaler.scale(alertsYAML: try String(contentsOf: Self.alertsURL, encoding: .utf8), factor: 1.0 / 30)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scaled-alerts-\(UUID().uuidString).yml")
        try scaled.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "rules", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check rules failed:\n\(output)")
        #expect(output.contains("SUCCESS"))
    }
}
