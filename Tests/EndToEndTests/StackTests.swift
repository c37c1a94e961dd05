import AsyncHTTPClient
@testable import DrillKit
import FiredrillSupport
import FiredrillTestSupport
import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import AnalyzerServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Drill stacks around a real csv-analyzer: attached to one running in this process, and the local
/// stack (csv-analyzer, Prometheus, Alertmanager on loopback) when the binaries are installed.
@Suite struct StackTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let monitoringInstalled = MonitoringBinaries.find(MonitoringBinaries.prometheusNames) != nil
        && MonitoringBinaries.find(MonitoringBinaries.alertmanagerNames) != nil

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// POSTs an Alertmanager-shaped notification to `url`; returns the status.
    static func postNotification(_ url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: """
            {"version": "4", "status": "firing", "receiver": "drill", "groupLabels": {}, "commonLabels": {},
             "alerts": [{"status": "firing", "labels": {"alertname": "ServiceDown"}, "startsAt": "2024-05-01T10:00:00Z"}]}
            """))
        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
    }

    // MARK: - Attached stack

    /// An in-process csv-analyzer on a loopback port.
    static func withService(_ body: @Sendable (String) async throws -> Void) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = dir
        configuration.port = 0
        configuration.logLevel = .warning
        let (app, analyzer) = try await AnalyzerApplication.build(configuration)
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
        await analyzer.shutdown()
    }

    @Test func attachedStack() async throws {
        try await Self.withService { url in
            let stack = try await AttachedStack(serviceURL: url + "/", prometheusURL: nil, alertmanagerURL: "http://127.0.0.1:9",
                                                adminToken: "t0ken", webhookPort: 0)
            #expect(stack.kind == "attach")
            #expect(stack.serviceURL == url)
            #expect(stack.prometheus == nil)
            #expect(stack.alertmanager?.baseURL == "http://127.0.0.1:9")
            #expect(stack.monitoringGap?.contains("Prometheus") == true)
            let note = try await stack.startService(options: ["workers": "4"])
            #expect(note.contains("ignored") && note.contains("workers=4"), "\(note)")
            let hook = try #require(stack.webhookURL)
            #expect(try await Self.postNotification(hook) == 200)
            #expect(stack.notifications()?.count == 1)
            await stack.stop()
            await stack.stop()

            let bare = try await AttachedStack(serviceURL: "http://127.0.0.1:1", prometheusURL: "http://127.0.0.1:2",
                                               alertmanagerURL: "http://127.0.0.1:3", adminToken: "x", healthTimeout: .seconds(1))
            #expect(bare.monitoringGap == nil)
            #expect(bare.notifications() == nil)
            do {
                _ = try await bare.startService(options: [:])
                Issue.record("an unreachable service must be refused")
            } catch let error as ControlError {
                #expect(error.message.contains("/healthz"), "\(error)")
            }
            await bare.stop()
        }
    }

    // MARK: - Local stack

    static func csvAnalyzerBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["CSV_ANALYZER_BIN"] { return URL(fileURLWithPath: path) }
        let url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("csv-analyzer")
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "csv-analyzer is not built at \(url.path): run `swift build --build-tests`")
        return url
    }

    static var logger: Logger {
        var logger = Logger(label: "LocalStackTests")
        logger.logLevel = .warning
        return logger
    }

    @Test func withoutMonitoring() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = try await LocalStack.launch(.init(repositoryRoot: Self.repo, workDirectory: dir, csvAnalyzer: try Self.csvAnalyzerBinary(),
                                                      timeScale: 1.0 / 30, monitoring: false, logger: Self.logger))
        #expect(stack.kind == "local")
        #expect(stack.prometheus == nil && stack.alertmanager == nil)
        #expect(stack.notifications() == nil)
        #expect(stack.monitoringGap?.contains("monitoring is off") == true)
        #expect(stack.adminToken.count == 32)
        await #expect(throws: ControlError.self) { try await stack.startService(options: ["bogus": "1"]) }
        await stack.stop()
        await #expect(throws: ControlError.self) { try await stack.startService(options: [:]) }
        await #expect(throws: ControlError.self) {
            try await LocalStack.launch(.init(repositoryRoot: Self.repo, workDirectory: dir, csvAnalyzer: dir, timeScale: 2))
        }
    }

    /// Prometheus refusing its rules: launch fails with its log, and stops Alertmanager again.
    @Test(.enabled(if: monitoringInstalled, "needs prometheus and alertmanager"), .timeLimit(.minutes(1)))
    func launchFailureReportsTheLog() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("broken.yml")
        try "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: rate(up[\n".write(to: rules, atomically: true, encoding: .utf8)
        let work = dir.appendingPathComponent("work")
        do {
            _ = try await LocalStack.launch(.init(repositoryRoot: Self.repo, workDirectory: work, csvAnalyzer: try Self.csvAnalyzerBinary(),
                                                  timeScale: 1.0 / 30, rulesFile: rules, logger: Self.logger))
            Issue.record("launch must fail when Prometheus cannot load its rules")
        } catch let error as ControlError {
            #expect(error.message.contains("Prometheus exited"), "\(error)")
            #expect(error.message.contains("prometheus.log"), "\(error)")
        }
        // Nothing started for this work directory is left running.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let survivors = entries.compactMap { pid_t($0) }.filter { pid in
            let cmdline = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return cmdline.contains(work.path) && ProcessTable.isAlive(pid)
        }
        #expect(survivors.isEmpty, "still running: \(survivors)")
    }

    /// The whole pipeline: the service is scraped, stopping it fires ServiceDown, Alertmanager
    /// posts it to the drill webhook; stop() leaves no process behind.
    @Test(.enabled(if: monitoringInstalled, "needs prometheus and alertmanager (apt-get install prometheus prometheus-alertmanager)"),
          .timeLimit(.minutes(4)))
    func liveServiceDownReachesWebhook() async throws {
        let dir = try Self.temporaryDirectory()
        let stack = try await LocalStack.launch(.init(repositoryRoot: Self.repo, workDirectory: dir, csvAnalyzer: try Self.csvAnalyzerBinary(),
                                                      timeScale: 1.0 / 60, logger: Self.logger))
        var pids: [pid_t] = []
        func logs() -> String {
            ["csv-analyzer", "prometheus", "alertmanager"].map { name in
                "--- \(name).log ---\n" + ChildProcess.tail(of: dir.appendingPathComponent("logs/\(name).log"), lines: 15)
            }.joined(separator: "\n")
        }
        do {
            #expect(stack.monitoringGap == nil)
            let prometheus = try #require(stack.prometheus)
            #expect(stack.alertmanager != nil)
            let note = try await stack.startService(options: ["workers": "1"])
            #expect(note.contains("--workers 1") && note.contains("--admin-token ***"), "\(note)")
            let service = try #require(stack.serviceProcess)
            pids = stack.processes.map(\.pid) + ProcessTable.children(of: service.pid)
            #expect(pids.count >= 4, "csv-analyzer's worker is missing: \(pids)")

            let clock = ContinuousClock()
            var deadline = clock.now + .seconds(60)  // generous: Prometheus starts slowly on a loaded machine
            var scraped = false
            while !scraped, clock.now < deadline {
                scraped = !((try? await prometheus.query(#"up{job="csv-analyzer"} == 1"#)) ?? []).isEmpty
                if !scraped { try await Task.sleep(for: .milliseconds(250)) }
            }
            try #require(scraped, "Prometheus did not scrape csv-analyzer within 60 s\n\(logs())")

            // The service was not scraped before it started, so ServiceDown did not fire then.
            let early = stack.notifications()?.filter { $0.alerts.contains { $0.name == "ServiceDown" } } ?? []
            #expect(early.isEmpty, "ServiceDown notified before the service was stopped: \(early)")

            _ = try await stack.stopService()
            #expect(!service.isRunning)
            deadline = clock.now + .seconds(60)
            var fired: AlertNotification?
            while fired == nil, clock.now < deadline {
                fired = stack.notifications()?.first { notification in
                    notification.alerts.contains { $0.name == "ServiceDown" && $0.status == "firing" }
                }
                if fired == nil { try await Task.sleep(for: .milliseconds(250)) }
            }
            let received = stack.notifications()?.map { "\($0.status) \($0.alerts.map(\.name))" } ?? []
            let notification = try #require(fired, "no ServiceDown notification within 60 s; received: \(received)\n\(logs())")
            #expect(notification.receiver == "drill")
            #expect(notification.alerts.first { $0.name == "ServiceDown" }?.labels["drill"] == "true")
            // The always-firing heartbeat took the same path (re-sent every second once Alertmanager is
            // known; its group is sent apart from ServiceDown's, so it may come a little later).
            deadline = clock.now + .seconds(60)
            var heartbeat = false
            while !heartbeat, clock.now < deadline {
                heartbeat = stack.notifications()?.contains { $0.alerts.contains { $0.name == "Watchdog" } } == true
                if !heartbeat { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(heartbeat, "\(stack.notifications()?.map { "\($0.status) \($0.alerts.map(\.name))" } ?? [])")
        } catch {
            await stack.stop()
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        await stack.stop()
        for pid in pids { #expect(!ProcessTable.isAlive(pid), "process \(pid) outlived stop()") }
        #expect(stack.processes.allSatisfy { !$0.isRunning })
        try? FileManager.default.removeItem(at: dir)
    }
}
