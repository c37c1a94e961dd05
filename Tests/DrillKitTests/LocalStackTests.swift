import FiredrillSupport
import AsyncHTTPClient
@testable import DrillKit
import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// The local drill stack's parts: generated monitoring configs, start options and the webhook. The
/// stacks themselves, around a real csv-analyzer, are tested in EndToEndTests.
@Suite struct LocalStackTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let promtool = MonitoringBinaries.find(["promtool"])
    static let amtool = MonitoringBinaries.find(["amtool"])
    static let monitoringInstalled = MonitoringBinaries.find(MonitoringBinaries.prometheusNames) != nil
        && MonitoringBinaries.find(MonitoringBinaries.alertmanagerNames) != nil

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("localstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func read(_ name: String) throws -> String {
        try String(contentsOf: repo.appendingPathComponent(name), encoding: .utf8)
    }

    /// Runs a checker (promtool, amtool) to completion; returns its exit status and output.
    static func run(_ tool: URL, _ arguments: [String], in dir: URL) async throws -> (ChildProcess.ExitStatus?, String) {
        let process = try ChildProcess.spawn(executable: tool.path, arguments: arguments,
                                             logFile: dir.appendingPathComponent("\(tool.lastPathComponent).log"))
        #expect(await process.waitForExit(timeout: .seconds(30)), "\(tool.lastPathComponent) did not finish within 30 s")
        await process.terminate(grace: .seconds(1))
        return (process.exitStatus, process.tail(lines: 40))
    }

    // MARK: - Config generation

    @Test func scaledRulesAndOverride() throws {
        let rules = try MonitoringConfig.rules(repositoryRoot: Self.repo, timeScale: 1.0 / 60)
        let groups = try #require((try Yams.load(yaml: rules) as? [String: Any])?["groups"] as? [[String: Any]])
        let all = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        let serviceDown = try #require(all.first { $0["alert"] as? String == "ServiceDown" })
        #expect(serviceDown["for"] as? String == "1s")  // 1m / 60
        let latency = try #require(all.first { $0["alert"] as? String == "HighLatencyP95" })
        #expect(latency["for"] as? String == "5s")  // 5m / 60
        #expect((latency["expr"] as? String)?.contains("[4s]") == true)  // [1m] / 60 = 1s, floored to 4s

        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let override = dir.appendingPathComponent("rules.yml")
        try "groups:\n  - name: x\n    rules:\n      - alert: Never\n        expr: vector(1) > 2\n        for: 10m\n"
            .write(to: override, atomically: true, encoding: .utf8)
        let scaled = try MonitoringConfig.rules(repositoryRoot: Self.repo, rulesFile: override, timeScale: 0.5)
        #expect(scaled.contains("alert: Never"))
        #expect(scaled.contains("for: 5m"))
        #expect(throws: ControlError.self) {
            try MonitoringConfig.rules(repositoryRoot: Self.repo, rulesFile: dir.appendingPathComponent("missing.yml"), timeScale: 1)
        }
    }

    @Test func prometheusConfig() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("alerts.yml")
        try MonitoringConfig.rules(repositoryRoot: Self.repo, timeScale: 1.0 / 30).write(to: rules, atomically: true, encoding: .utf8)
        let targets = dir.appendingPathComponent("csv-analyzer.json")
        try MonitoringConfig.serviceTargets(port: 18000).write(to: targets, atomically: true, encoding: .utf8)
        let yaml = try MonitoringConfig.prometheus(repositoryConfig: try Self.read("prometheus.yml"), rulesFile: rules.path,
                                                   serviceTargetsFile: targets.path, prometheusPort: 19090, alertmanagerPort: 19093)
        let config = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let global = try #require(config["global"] as? [String: Any])
        #expect(global["scrape_interval"] as? String == "1s")
        #expect(global["evaluation_interval"] as? String == "1s")
        #expect(global["scrape_timeout"] as? String == "1s")
        #expect(global["external_labels"] as? [String: String] == ["drill": "true"])
        #expect(config["rule_files"] as? [String] == [rules.path])
        let managers = try #require((config["alerting"] as? [String: Any])?["alertmanagers"] as? [[String: Any]])
        #expect((managers.first?["static_configs"] as? [[String: Any]])?.first?["targets"] as? [String] == ["127.0.0.1:19093"])

        let jobs = try #require(config["scrape_configs"] as? [[String: Any]])
        #expect(jobs.compactMap { $0["job_name"] as? String } == ["csv-analyzer", "alertmanager", "prometheus"])
        func staticTargets(_ job: String) -> [String]? {
            (jobs.first { $0["job_name"] as? String == job }?["static_configs"] as? [[String: Any]])?.first?["targets"] as? [String]
        }
        #expect(staticTargets("alertmanager") == ["127.0.0.1:19093"])
        #expect(staticTargets("prometheus") == ["127.0.0.1:19090"])
        let service = try #require(jobs.first { $0["job_name"] as? String == "csv-analyzer" })
        #expect((service["file_sd_configs"] as? [[String: Any]])?.first?["files"] as? [String] == [targets.path])
        for job in jobs {
            for key in ["scrape_interval", "scrape_timeout"] where job[key] != nil { #expect(job[key] as? String == "1s") }
        }
        #expect(MonitoringConfig.serviceTargets(port: 18000).contains("\"127.0.0.1:18000\""))
        #expect(MonitoringConfig.serviceTargets(port: nil) == "[]\n")
        // Scaled: `for: 5m` at 1/30.
        #expect(try String(contentsOf: rules, encoding: .utf8).contains("for: 10s"))

        // Without Alertmanager: no alerting section, no alertmanager job.
        let alone = try #require(try Yams.load(yaml: MonitoringConfig.prometheus(
            repositoryConfig: try Self.read("prometheus.yml"), rulesFile: rules.path, serviceTargetsFile: targets.path,
            prometheusPort: 19090, alertmanagerPort: nil)) as? [String: Any])
        #expect(alone["alerting"] == nil)
        #expect((alone["scrape_configs"] as? [[String: Any]])?.compactMap { $0["job_name"] as? String } == ["csv-analyzer", "prometheus"])

        if let promtool = Self.promtool {
            let file = dir.appendingPathComponent("prometheus.yml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            let (status, output) = try await Self.run(promtool, ["check", "config", file.path], in: dir)
            #expect(status == .exited(0), "promtool check config:\n\(output)")
        }
    }

    @Test func alertmanagerConfig() async throws {
        let original = try Self.read("alertmanager.yml")
        let yaml = try MonitoringConfig.alertmanager(repositoryConfig: original, repositoryRoot: Self.repo,
                                                     webhookURL: "http://127.0.0.1:45678/alerts")
        let config = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let repository = try #require(try Yams.load(yaml: original) as? [String: Any])
        let receivers = try #require(config["receivers"] as? [[String: Any]])
        let drill = try #require(receivers.first { $0["name"] as? String == "drill" })
        #expect((drill["webhook_configs"] as? [[String: Any]])?.first?["url"] as? String == "http://127.0.0.1:45678/alerts")
        #expect((drill["webhook_configs"] as? [[String: Any]])?.first?["send_resolved"] as? Bool == true)

        let templates = try #require(config["templates"] as? [String])
        #expect(templates == [Self.repo.appendingPathComponent("alertmanager/templates/*.tmpl").standardizedFileURL.path])
        var files: [String] = []
        func collect(_ value: Any, key: String? = nil) {
            if let map = value as? [String: Any] {
                for (k, v) in map { collect(v, key: k) }
            } else if let list = value as? [Any] {
                list.forEach { collect($0) }
            } else if let text = value as? String, key?.hasSuffix("_file") == true {
                files.append(text)
            }
        }
        collect(config)
        #expect(files.count >= 3)  // slack_api_url_file, smtp_auth_password_file, routing_key_file
        for file in files {
            #expect(file.hasPrefix("/"), "\(file) is not absolute")
            #expect(FileManager.default.fileExists(atPath: file), "\(file) does not exist")
        }
        // Routes and inhibit rules are the repository's.
        #expect(NSDictionary(dictionary: config["route"] as? [String: Any] ?? [:])
                    .isEqual(to: repository["route"] as? [String: Any] ?? ["missing": true]))
        #expect(NSArray(array: config["inhibit_rules"] as? [Any] ?? []).isEqual(to: repository["inhibit_rules"] as? [Any] ?? [1]))

        #expect(throws: ControlError.self) {
            try MonitoringConfig.alertmanager(repositoryConfig: "route: {receiver: a}\nreceivers: [{name: a}]\n",
                                              repositoryRoot: Self.repo, webhookURL: "http://x/alerts")
        }

        if let amtool = Self.amtool {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("alertmanager.yml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            let (status, output) = try await Self.run(amtool, ["check-config", file.path], in: dir)
            #expect(status == .exited(0), "amtool check-config:\n\(output)")
        }
    }

    @Test func serveOptions() throws {
        #expect(try ServeOptions.flags([:]).isEmpty)
        let flags = try ServeOptions.flags(["workers": "2", "memory_limit": "512MiB", "features_impl": "legacy", "graceful_timeout": "5"])
        #expect(flags == ["--features-impl", "legacy", "--graceful-timeout", "5", "--memory-limit", "512MiB", "--workers", "2"])
        // Names and values are csv-analyzer's to judge; only what cannot be a flag is refused here.
        #expect(throws: ControlError.self) { try ServeOptions.flags(["--workers": "2"]) }
        #expect(throws: ControlError.self) { try ServeOptions.flags(["Workers": "2"]) }
        #expect(throws: ControlError.self) { try ServeOptions.flags(["workers": " "]) }
    }

    @Test func missingBinariesAreExplained() throws {
        #expect(MonitoringBinaries.find(["no-such-binary-firedrill"], path: "") == nil)
        let gap = try #require(MonitoringBinaries.gap(prometheus: nil, alertmanager: nil))
        #expect(gap.contains("apt-get install prometheus prometheus-alertmanager"))
        #expect(gap.contains("prometheus.io"))
        #expect(gap.contains("--prometheus-bin"))
        #expect(MonitoringBinaries.gap(prometheus: URL(fileURLWithPath: "/p"), alertmanager: nil)?.contains("notification checks (`notified: true`) are skipped") == true)
        #expect(MonitoringBinaries.gap(prometheus: URL(fileURLWithPath: "/p"), alertmanager: URL(fileURLWithPath: "/a")) == nil)
    }

    // MARK: - Webhook

    static let samplePayload = """
        {"version": "4", "groupKey": "{}:{alertname=\\"ServiceDown\\"}", "status": "firing", "receiver": "drill",
         "groupLabels": {"alertname": "ServiceDown"}, "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://x",
         "truncatedAlerts": 0,
         "alerts": [{"status": "firing", "labels": {"alertname": "ServiceDown", "severity": "critical", "drill": "true"},
                     "annotations": {"summary": "down"}, "startsAt": "2024-05-01T10:00:00.123456789Z",
                     "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://p", "fingerprint": "abc"}]}
        """

    /// POSTs `body` (or GETs, when `body` is nil); returns the status and the answer.
    static func post(_ url: String, _ body: String?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: data))
    }

    @Test func webhookReceivesNotifications() async throws {
        let webhook = try await WebhookReceiver.start(host: "127.0.0.1", port: 0)
        do {
            #expect(webhook.port > 0)
            #expect(webhook.url == "http://127.0.0.1:\(webhook.port)/alerts")
            let before = Date()
            let (status, body) = try await Self.post(webhook.url, Self.samplePayload)
            #expect(status == 200, "\(body)")
            let received = webhook.notifications()
            #expect(received.count == 1)
            let notification = try #require(received.first)
            #expect(notification.status == "firing")
            #expect(notification.receiver == "drill")
            #expect(notification.receivedAt >= before.addingTimeInterval(-0.001))
            #expect(notification.alerts == [AlertNotification.Alert(
                status: "firing", labels: ["alertname": "ServiceDown", "severity": "critical", "drill": "true"],
                startsAt: notification.alerts.first?.startsAt)])
            let startsAt = try #require(notification.alerts.first?.startsAt)
            #expect(abs(startsAt.timeIntervalSince1970 - 1_714_557_600.123) < 0.001)
            #expect(notification.alerts.first?.name == "ServiceDown")

            let (badStatus, badBody) = try await Self.post(webhook.url, "{not json")
            #expect(badStatus == 400)
            #expect(badBody.contains("not JSON"), "\(badBody)")
            let (fieldStatus, fieldBody) = try await Self.post(
                webhook.url, #"{"status": "firing", "receiver": "drill", "alerts": [{"status": "firing", "labels": {"a": 1}}]}"#)
            #expect(fieldStatus == 400)
            #expect(fieldBody.contains("alerts[0].labels.a"), "\(fieldBody)")
            let (missingStatus, missingBody) = try await Self.post(webhook.url, #"{"status": "firing", "alerts": []}"#)
            #expect(missingStatus == 400)
            #expect(missingBody.contains("receiver"), "\(missingBody)")
            let (getStatus, _) = try await Self.post(webhook.url, nil)
            #expect(getStatus == 404)
            let (otherStatus, _) = try await Self.post("http://127.0.0.1:\(webhook.port)/other", Self.samplePayload)
            #expect(otherStatus == 404)
            let (largeStatus, _) = try await Self.post(webhook.url, String(repeating: " ", count: WebhookReceiver.maximumBodySize + 1))
            #expect(largeStatus == 413)
            #expect(webhook.notifications().count == 1)
            // Oldest first.
            _ = try await Self.post(webhook.url, Self.samplePayload.replacingOccurrences(of: "\"status\": \"firing\", \"receiver\"",
                                                                                        with: "\"status\": \"resolved\", \"receiver\""))
            #expect(webhook.notifications().map(\.status) == ["firing", "resolved"])
        } catch {
            await webhook.stop()
            throw error
        }
        await webhook.stop()
        await webhook.stop()  // idempotent
        #expect(await Loopback.status(of: webhook.url, timeout: .seconds(1)) == nil)
    }
}
