@testable import DrillKit
import FiredrillSupport
import Foundation
import ProxyKit
import Testing

/// The generic steps run against real local programs: Python's http.server, /bin/sh, `sleep`, and
/// the fault proxy (ProxyKit's server in process, reached as an attached stack's `--proxy-api`).
@Suite(.serialized) struct GenericStepsRunnerTests {
    /// An attached stack with no service behind it (nothing here needs csv-analyzer).
    static func stack(proxyAPI: String? = nil) async throws -> AttachedStack {
        try await AttachedStack(serviceURL: "http://127.0.0.1:9", prometheusURL: nil, alertmanagerURL: nil, adminToken: "",
                                proxyAPI: proxyAPI, workDirectory: try LocalStackTests.temporaryDirectory())
    }

    static func run(_ yaml: String, on stack: any DrillStack) async throws -> DrillJournal {
        let drill = try Runbook.parse(markdown: RunbookTests.runbook(yaml), file: "rb.md").drill
        let runner = DrillRunner(drill: drill, stack: stack, options: .init(runbookPath: "rb.md", baseDirectory: RunbookTests.repo))
        return await runner.run()
    }

    /// A directory served by http.server, with `session.json`.
    static func site() throws -> URL {
        let dir = try LocalStackTests.temporaryDirectory()
        try Data(#"{"session": {"token": "abc123", "ttl": 60}}"#.utf8).write(to: dir.appendingPathComponent("session.json"))
        return dir
    }

    static func details(_ journal: DrillJournal) -> String {
        (journal.steps + journal.rollbacks).map { "\($0.line) \($0.kind) \($0.outcome.rawValue): \($0.detail)" }.joined(separator: "\n")
    }

    @Test func startHTTPExtractExecSignal() async throws {
        let stack = try await Self.stack()
        let site = try Self.site()
        let journal = try await Self.run("""
            title: a web server, any service
            method:
              - start:
                  name: web
                  command: [python3, -m, http.server, "${port.web}", --bind, 127.0.0.1, --directory, \(site.path)]
                  ready: {url: "http://127.0.0.1:${port.web}/session.json", timeout: 120s}
              - http:
                  url: "http://127.0.0.1:${port.web}/session.json"
                  expect: {status: 200, body_contains: abc}
                  extract: {token: $.session.token, ttl: $.session.ttl}
              - exec:
                  command: "echo token=${token} ttl=${ttl} port=${port.web}; pwd"
                  expect: {exit: 0, output_contains: [token=abc123 ttl=60, "\(RunbookTests.repo.path)"]}
              - signal: {signal: SIGSTOP, process: web}
            """, on: stack)
        #expect(journal.passed, Comment(rawValue: Self.details(journal)))
        try #require(journal.steps.map(\.kind) == ["start", "http", "exec", "signal"])
        #expect(journal.steps[1].detail.contains("extracted token=abc123, ttl=60"))
        #expect(journal.steps[2].isExpectation)
        #expect(journal.timeline.contains { $0.kind == .serviceStarted && $0.label == "web started" })
        #expect(journal.timeline.contains { $0.kind == .faultInjected && $0.label.hasPrefix("SIGSTOP to web") })
        // SIGSTOP really stopped it: /proc says so (once the kernel has delivered the signal, which
        // needs the target scheduled: polled, not read once).
        let web = try #require(stack.commands.process(named: "web"))
        let deadline = ContinuousClock.now + .seconds(30)
        var status = ""
        repeat {
            status = (try? String(contentsOfFile: "/proc/\(web.pid)/status", encoding: .utf8)) ?? ""
            if status.contains("State:\tT") { break }
            try await Task.sleep(for: .milliseconds(20))
        } while ContinuousClock.now < deadline
        #expect(status.contains("State:\tT"), Comment(rawValue: status))
        let log = try #require(web.logFile)
        #expect(log.path == stack.workDirectory.appendingPathComponent("logs/web.log").path)
        #expect(ChildProcess.tail(of: log, lines: 5).contains("GET /session.json"))
        // The stack stops it (SIGCONT first, so SIGTERM acts).
        await stack.stop()
        #expect(!web.isRunning)
    }

    @Test func execChecksTimeoutsAndRetries() async throws {
        let stack = try await Self.stack()
        defer { Task { await stack.stop() } }
        let marker = try LocalStackTests.temporaryDirectory().appendingPathComponent("second-try")
        let retried = try await Self.run("""
            title: exec
            method:
              - name: fails once, then holds
                exec:
                  command: "test -f \(marker.path) && echo there || { touch \(marker.path); echo missing; exit 3; }"
                  expect: {output_contains: there}
                  within: 10s
              - exec: {command: [/bin/sh, -c, "exit 4"], expect: {exit: any}}
            """, on: stack)
        #expect(retried.passed, Comment(rawValue: Self.details(retried)))
        #expect(retried.steps[0].detail.contains("(attempt 2"))
        #expect(retried.steps[1].detail.hasPrefix("exit code 4"))

        let wrongExit = try await Self.run("title: e\nmethod:\n  - exec: {command: 'echo boom >&2; exit 2'}", on: stack)
        #expect(wrongExit.status == .failed)
        let detail = wrongExit.steps[0].detail
        #expect(detail.hasPrefix("exit code 2 after ") && detail.hasSuffix(" s, expected exit code 0; output: boom"), Comment(rawValue: detail))

        // Killed at its timeout: the step ends long before `sleep 120` would (a bound a loaded machine
        // cannot reach, unlike "within a few seconds").
        let begin = Date()
        let slow = try await Self.run("title: e\nmethod:\n  - exec: {command: 'sleep 120', timeout: 1s}", on: stack)
        #expect(slow.status == .failed)
        #expect(slow.steps[0].detail.hasPrefix("still running after 1s (killed)"))
        #expect(Date().timeIntervalSince(begin) < 60)

        let missing = try await Self.run("title: e\nmethod:\n  - exec: {command: [no-such-program-here]}", on: stack)
        #expect(missing.steps[0].detail == "no-such-program-here: not found on PATH")
    }

    @Test func proxyToxicsThroughTheAPI() async throws {
        let server = ProxyServer(threads: 1)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let stack = try await Self.stack(proxyAPI: "http://127.0.0.1:\(port)")
        let site = try Self.site()
        let journal = try await Self.run("""
            title: proxy
            method:
              - start:
                  name: web
                  command: [python3, -m, http.server, "${port.web}", --bind, 127.0.0.1, --directory, \(site.path)]
                  ready: {port: "${port.web}"}
              - proxy: {action: create, name: web, protocol: http, upstream: "127.0.0.1:${port.web}"}
              - http: {url: "http://${proxy.web.listen}/session.json", expect: {status: 200}}
              - proxy: {action: add_toxic, proxy: web, type: http_status, attributes: {status: 503}, ttl: 1m}
              - http: {url: "http://${proxy.web.listen}/session.json", expect: {status: 503, body_contains: injected}}
              - proxy: {action: remove_toxic, proxy: web, toxic: http_status_downstream}
              - http: {url: "http://${proxy.web.listen}/session.json", expect: {status: 200}, within: 10s}
              - proxy: {action: add_toxic, proxy: web, name: typo, type: latency, attributes: {latncy: 100}}
            rollbacks:
              - proxy: {action: reset}
            """, on: stack)
        #expect(journal.status == .failed)
        #expect(journal.steps.count == 8, Comment(rawValue: Self.details(journal)))
        #expect(journal.steps.prefix(7).allSatisfy { $0.outcome == .passed }, Comment(rawValue: Self.details(journal)))
        #expect(journal.steps[3].detail.contains("http_status_downstream on web: http_status, downstream, toxicity 1"))
        #expect(journal.steps[3].detail.contains("ttl 1m"))
        // The proxy judges attributes, with its own did-you-mean.
        #expect(journal.steps[7].detail.contains("latency has no attribute 'latncy' (did you mean 'latency'?)"))
        #expect(journal.rollbacks.map(\.outcome) == [.passed])
        #expect(try await ProxyClient(baseURL: "http://127.0.0.1:\(port)").toxics(of: "web").isEmpty)
        #expect(journal.timeline.contains { $0.kind == .faultInjected && $0.label == "toxic http_status on web" })
        #expect(journal.timeline.contains { $0.kind == .faultCleared })
        await stack.stop()
        await server.stop()
    }

    @Test func signalsByPidfileAndAStoppedProgram() async throws {
        let stack = try await Self.stack()
        let pidfile = stack.workDirectory.appendingPathComponent("sleeper.pid")
        let journal = try await Self.run("""
            title: signals
            method:
              - start: {name: sleeper, command: [/bin/sh, -c, "echo $$ > \(pidfile.path).new && mv \(pidfile.path).new \(pidfile.path); exec sleep 60"]}
              - exec: {command: "test -s \(pidfile.path)", within: 30s}
              - signal: {signal: SIGTERM, pidfile: "${stack.work_dir}/sleeper.pid"}
              - exec: {command: "! kill -0 $(cat \(pidfile.path)) 2>/dev/null", within: 30s}
              - signal: {signal: SIGCONT, process: sleeper}
            """, on: stack)
        // The pidfile is waited for (the shell writes it once it runs) and so is the end of the process
        // (reaped by the stack once the kernel has delivered SIGTERM), instead of fixed sleeps.
        #expect(journal.status == .failed, Comment(rawValue: Self.details(journal)))
        #expect(journal.steps.prefix(4).allSatisfy { $0.outcome == .passed }, Comment(rawValue: Self.details(journal)))
        #expect(journal.steps[2].detail.hasPrefix("SIGTERM sent to pid "))
        #expect(journal.steps[4].detail == "sleeper is not running (signal 15 (SIGTERM))")
        await stack.stop()
    }

    @Test func proxyStepsWithoutAProxyAPI() async throws {
        let stack = try await Self.stack()
        let journal = try await Self.run("title: p\nmethod:\n  - proxy: {action: reset}", on: stack)
        #expect(journal.steps[0].detail.contains("--proxy-api"))
        await stack.stop()
    }
}
