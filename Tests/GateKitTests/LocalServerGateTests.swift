import Foundation
import Testing
@testable import GateKit
import LoadKit

/// Real runs against loopback servers whose delay each test sets: 5 ms vs 10 ms is a regression
/// (verdict `worse`, `firedrill compare` exits 99); 5 ms vs 5 ms is not (exit 0).
@Suite(.serialized) struct LocalServerGateTests {
    /// A closed-model run of 4 users GETting `/` on `url` for `seconds`, as its `--json` file.
    static func run(_ url: String, seconds: Double, to file: URL) async throws -> RunRecord {
        var overrides = PlanOverrides()
        overrides.users = 4
        overrides.spawnRate = 100
        overrides.runTime = seconds
        let plan = try overrides.apply(to: try LoadPlan.single(url: url + "/", load: .closed(users: 1, spawnRate: 1, runTime: nil)))
        let summary = try await LoadRun(plan: plan).run()
        let data = try JSONReport(plan: plan, summary: summary).encoded()
        try data.write(to: file)
        return try RunRecord.decode(data, path: file.path)
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func tenMillisecondsAgainstFiveIsWorseAndExits99() async throws {
        let fast = try await DelayServer(delayMs: 5), slow = try await DelayServer(delayMs: 10)
        defer { Task { await fast.stop(); await slow.stop() } }
        let dir = try Self.tempDir()
        let base = try await Self.run(fast.url, seconds: 8, to: dir.appendingPathComponent("base.json"))
        let new = try await Self.run(slow.url, seconds: 8, to: dir.appendingPathComponent("new.json"))
        let report = try RunComparison.compare(base: base, new: new, baseLabel: "base", newLabel: "new", settings: GateSettings())
        let p50 = try #require(report.rows.first { $0.name == "Aggregated" && $0.metric == "p50" })
        #expect(p50.verdict == .worse, "\(ConsoleComparison.render(report))")
        #expect(report.fails(failOnInconclusive: false))
        if let (code, _) = try FiredrillBinary.run(["compare", dir.appendingPathComponent("base.json").path,
                                                    dir.appendingPathComponent("new.json").path]) {
            #expect(code == 99)
        }
    }

    @Test func fiveMillisecondsAgainstFiveIsNoRegressionAndExits0() async throws {
        let server = try await DelayServer(delayMs: 5)
        defer { Task { await server.stop() } }
        let dir = try Self.tempDir()
        let base = try await Self.run(server.url, seconds: 8, to: dir.appendingPathComponent("base.json"))
        let new = try await Self.run(server.url, seconds: 8, to: dir.appendingPathComponent("new.json"))
        let report = try RunComparison.compare(base: base, new: new, baseLabel: "base", newLabel: "new", settings: GateSettings())
        #expect(report.regressions.isEmpty, "\(ConsoleComparison.render(report))")
        if let (code, _) = try FiredrillBinary.run(["compare", dir.appendingPathComponent("base.json").path,
                                                    dir.appendingPathComponent("new.json").path]) {
            #expect(code == 0)
        }
    }

    @Test func abRoundsTellTenMillisecondsFromFive() async throws {
        let fast = try await DelayServer(delayMs: 5), slow = try await DelayServer(delayMs: 10)
        defer { Task { await fast.stop(); await slow.stop() } }
        let plan = try LoadPlan.single(url: fast.url + "/", load: .closed(users: 4, spawnRate: 100, runTime: nil))
        let runner = ABRunner(plan: plan, a: ABTarget(label: "A", url: fast.url, readyPath: "/"),
                              b: ABTarget(label: "B", url: slow.url, readyPath: "/"), rounds: 4, roundTime: 7,
                              workDir: try Self.tempDir(), keepRounds: true)
        let report = try await runner.run(settings: GateSettings())
        let p50 = try #require(report.rows.first { $0.name == "Aggregated" && $0.metric == "p50" })
        #expect(p50.verdict == .worse, "\(ConsoleComparison.render(report))")
        #expect(ABSchedule.order(rounds: 6) == [true, false, false, true, true, false])
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("❌ **regression**") && markdown.contains("↑") && markdown.contains("🔴 worse"))
    }
}
