import AnalyzerServer
@testable import DrillKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A stack made of a csv-analyzer running in this process and, optionally, a stub Prometheus.
final class TestStack: DrillStack, @unchecked Sendable {
    let kind = "attach"
    let serviceURL: String
    let adminToken = "t0ken"
    let prometheus: PrometheusClient?
    let alertmanager: AlertmanagerClient? = nil
    var monitoringGap: String? { prometheus == nil ? "no Prometheus in this test" : nil }
    let received = Mutex<[AlertNotification]?>(nil)
    let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-test-\(UUID().uuidString)")
    lazy var commands = CommandProcesses(logsDirectory: workDirectory.appendingPathComponent("logs"))
    let proxy = DrillProxy()

    init(serviceURL: String, prometheusURL: String? = nil, webhook: Bool = false) {
        self.serviceURL = serviceURL
        prometheus = prometheusURL.map { PrometheusClient(baseURL: $0) }
        if webhook { received.withLock { $0 = [] } }
    }

    func startService(options: [String: String]) async throws -> String { "attached" }
    func stopService() async throws -> String { throw ControlError(message: "not in tests") }
    func notifications() -> [AlertNotification]? { received.withLock { $0 } }
    func stop() async {
        await commands.stopAll()
        await proxy.stop()
    }
}

/// `DrillRunner` end to end against a real csv-analyzer on a loopback port.
@Suite(.serialized) struct DrillRunnerTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func withService(_ body: @Sendable (String) async throws -> Void) async throws {
        try await FaultClientTests.withService(configure: { $0.memoryLimit = ByteSize(bytes: 8 << 30); $0.logLevel = .error }, body)
    }

    static func drill(_ yaml: String) throws -> Drill {
        try Runbook.parse(markdown: "# Test\n\n```drill\n\(yaml)\n```\n", file: "test.md").drill
    }

    /// Runs `drill`; with `interruptAt`, interrupts it (as Ctrl-C does) when the step whose title
    /// starts so begins: an event, where a fixed delay may fall before or after the step on a busy machine.
    static func run(_ drill: Drill, on stack: any DrillStack, interruptAt: String? = nil) async -> DrillJournal {
        let runner = Mutex<DrillRunner?>(nil)
        var options = DrillRunner.Options(runbookPath: "test.md", baseDirectory: Self.repo)
        if let interruptAt {
            options.onStep = { title, result in
                if result == nil, title.hasPrefix(interruptAt) { runner.withLock { $0 }?.interrupt() }
            }
        }
        let made = DrillRunner(drill: drill, stack: stack, options: options)
        runner.withLock { $0 = made }
        return await made.run()
    }

    static let memory = "csv_analyzer_resident_memory_bytes / process_memory_limit_bytes"

    @Test func aDrillWithoutPrometheusRunsEveryStepAndSkipsAlertChecks() async throws {
        try await Self.withService { url in
            let drill = try Self.drill("""
                title: errors under load
                steady_state:
                  - name: memory under the limit
                    prometheus: {query: \(Self.memory), max: 0.9}
                  - name: healthy
                    http: {path: /healthz}
                method:
                  - seed: {models: 1}
                  - load: {action: start, scenario: scenarios/predict-peak.yaml, users: 4, spawn_rate: 4, tags: [predict]}
                  - fault: {action: set, type: errors, probability: 1, route: "/api/models/{id}/predict", ttl: 1m}
                  - wait: 3s
                  - expect_alert: {name: HighErrorRate, state: firing, within: 1s}
                  - fault: {action: clear}
                  - assert: {query: \(Self.memory), max: 0.9, for: 2s}
                  - load: {action: stop}
                rollbacks:
                  - fault: {action: clear}
                """)
            let journal = await Self.run(drill, on: TestStack(serviceURL: url))
            #expect(journal.status == .completed, "\(journal.reason ?? "")")
            #expect(journal.passed)
            #expect(journal.steps.map(\.outcome) == [.passed, .passed, .passed, .passed, .skipped, .passed, .passed, .passed])
            #expect(journal.steps[4].detail.contains("skipped, not passed"))
            #expect(journal.skippedCount == 1)
            #expect(journal.steadyStateBefore.map(\.outcome) == [.passed, .passed])
            #expect(journal.steadyStateAfter.count == 2)
            #expect(journal.rollbacks.map(\.outcome) == [.passed])
            #expect(journal.steps[7].detail.contains("requests"))
            let kinds = Set(journal.timeline.map(\.kind))
            #expect(kinds.isSuperset(of: [.seeded, .loadStarted, .faultInjected, .firstError, .faultCleared, .stable, .loadStopped]))
            #expect(journal.series.contains { ($0.errorRatio ?? 0) > 0.5 }, "the 5xx fault must show in the series")
            #expect(journal.series.contains { $0.users == 4 })
            #expect(journal.series.contains { ($0.memoryRatio ?? 0) > 0 })
        }
    }

    @Test func aFailedAssertionStopsTheMethodAndTheRollbacksStillRun() async throws {
        try await Self.withService { url in
            let drill = try Self.drill("""
                title: broken on purpose
                method:
                  - fault: {action: set, type: latency, latency_ms: 1, ttl: 1m}
                  - assert: {query: \(Self.memory), max: 0.0000001, for: 5s}
                  - wait: 1h
                rollbacks:
                  - fault: {action: clear}
                """)
            let stack = TestStack(serviceURL: url)
            let journal = await Self.run(drill, on: stack)
            #expect(journal.status == .failed)
            #expect(!journal.passed)
            #expect(journal.steps.count == 2)
            #expect(journal.steps[1].outcome == .failed)
            #expect(journal.reason?.hasPrefix("test.md:7: assert") == true, "\(journal.reason ?? "")")
            #expect(journal.reason?.contains("is outside ≤ 1e-07") == true, "\(journal.reason ?? "")")
            #expect(journal.steadyStateAfter.isEmpty)
            #expect(journal.rollbacks.map(\.outcome) == [.passed])
            #expect(try await FaultClient(target: url, token: "t0ken").list().isEmpty, "the rollback cleared the fault")
        }
    }

    @Test func aSteadyStateThatDoesNotHoldAbortsBeforeTheMethod() async throws {
        try await Self.withService { url in
            let drill = try Self.drill("""
                title: aborted
                steady_state:
                  - name: a page that is not there
                    http: {path: /nope, status: 200}
                method:
                  - fault: {action: set, type: errors, probability: 1, ttl: 1m}
                """)
            let journal = await Self.run(drill, on: TestStack(serviceURL: url))
            #expect(journal.status == .aborted)
            #expect(journal.steps.isEmpty)
            #expect(journal.steadyStateBefore.first?.detail == "GET /nope → HTTP 404, expected 200")
            #expect(journal.reason?.contains("test.md:6") == true, "\(journal.reason ?? "")")
            #expect(try await FaultClient(target: url, token: "t0ken").list().isEmpty, "the method did not run")
        }
    }

    @Test func anInterruptStopsTheWaitAndRunsTheRollbacks() async throws {
        try await Self.withService { url in
            let drill = try Self.drill("""
                title: interrupted
                method:
                  - fault: {action: set, type: latency, latency_ms: 1, ttl: 1m}
                  - wait: 1h
                  - fault: {action: set, type: errors, ttl: 1m}
                rollbacks:
                  - fault: {action: clear}
                """)
            let journal = await Self.run(drill, on: TestStack(serviceURL: url), interruptAt: "wait")
            #expect(journal.status == .interrupted)
            #expect(journal.steps.count == 2)
            // The journal's own record: the 1 h wait was cut short by the interrupt, the next step never ran.
            #expect(journal.steps.last?.kind == "wait" && (journal.steps.last?.seconds ?? .infinity) < 3600)
            #expect(journal.rollbacks.map(\.outcome) == [.passed])
            #expect(try await FaultClient(target: url, token: "t0ken").list().isEmpty)
        }
    }

    /// A Prometheus stub whose HighErrorRate turns firing about a second after the first poll; `firing`
    /// is called each time it answers firing.
    static func withPrometheus(firing: @escaping @Sendable () -> Void = {}, _ body: @Sendable (String) async throws -> Void) async throws {
        let firstPoll = Mutex<Date?>(nil)
        let router = Router()
        router.get("/api/v1/alerts") { _, _ -> Response in
            let since = firstPoll.withLock { first -> Date in
                if first == nil { first = Date() }
                return first!
            }
            let state = Date().timeIntervalSince(since) > 1 ? "firing" : "pending"
            if state == "firing" { firing() }
            return Self.json("""
                {"status":"success","data":{"alerts":[{"labels":{"alertname":"HighErrorRate"},"state":"\(state)","activeAt":"2026-11-27T01:58:02Z"}]}}
                """)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    @Test func alertExpectationsWaitForPrometheusAndTheWebhook() async throws {
        try await Self.withService { url in
            // The notification arrives once Prometheus has answered "firing" (as Alertmanager's would),
            // not after a fixed delay that a slow start could put before the alert fired.
            let stackBox = Mutex<TestStack?>(nil)
            try await Self.withPrometheus(firing: {
                stackBox.withLock { $0 }?.received.withLock {
                    guard $0?.isEmpty == true else { return }
                    $0?.append(AlertNotification(receivedAt: Date(), status: "firing", receiver: "drill",
                                                 alerts: [.init(status: "firing", labels: ["alertname": "HighErrorRate"])]))
                }
            }) { prometheus in
                let stack = TestStack(serviceURL: url, prometheusURL: prometheus, webhook: true)
                stackBox.withLock { $0 = stack }
                let drill = try Self.drill("""
                    title: alerts
                    method:
                      - fault: {action: set, type: errors, ttl: 1m}
                      - expect_alert: {name: HighErrorRate, state: firing, within: 20s, notified: true}
                      - expect_alert: {name: HighErrorRate, state: resolved, within: 2s}
                    rollbacks:
                      - fault: {action: clear}
                    """)
                let journal = await Self.run(drill, on: stack)
                #expect(journal.steps.map(\.outcome) == [.passed, .passed, .failed])
                #expect(journal.steps[1].detail.contains("notification at the webhook after"), "\(journal.steps[1].detail)")
                // It waited for the notification, which arrived after the alert fired.
                let notifiedAt = try #require(stack.received.withLock { $0?.first?.receivedAt })
                #expect(journal.steps[1].endedAt >= notifiedAt)
                #expect(journal.steps[2].detail.contains("HighErrorRate was not resolved within 2s; Prometheus' state: firing"),
                        "\(journal.steps[2].detail)")
                #expect(journal.status == .failed)
                let kinds = journal.timeline.map(\.kind)
                #expect(kinds.contains(.alertPending) && kinds.contains(.alertFiring) && kinds.contains(.notified))
                #expect(journal.keyTimes.timeToDetect != nil)
                #expect(journal.keyTimes.timeToNotify ?? 0 >= journal.keyTimes.timeToDetect ?? 0)
            }
        }
    }
}
