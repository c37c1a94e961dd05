import AnalyzerAPI
import AnalyzerAPI
@testable import DrillKit
import Foundation
import LoadKit
import Testing

/// `Runbook.parse`: block extraction, the schema, and errors as `file:line: key.path: message`.
@Suite struct RunbookTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A runbook whose drill block opens at line 3 (so block line n is file line 3 + n).
    static func runbook(_ yaml: String) -> String {
        "# Title\n\n```drill\n" + yaml + "\n```\n\nafter\n"
    }

    static func error(_ yaml: String, variables: [String: String] = [:]) throws -> DrillError {
        do {
            _ = try Runbook.parse(markdown: runbook(yaml), file: "rb.md", variables: variables)
        } catch let error as DrillError {
            return error
        }
        throw DrillError(file: "", line: 0, message: "expected an error")
    }

    static let minimal = """
        title: t
        method:
          - wait: 5s
        """

    @Test func memoryLeakRunbookParses() throws {
        let file = Self.repo.appendingPathComponent("runbooks/memory-leak.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        let runbook = try Runbook.parse(markdown: text, file: "runbooks/memory-leak.md")
        let drill = runbook.drill
        #expect(drill.timeScale == 1.0 / 30)
        #expect(drill.steadyState.count == 3)
        #expect(drill.method.first?.kind == .start(options: ["workers": "2", "memory_limit": "512MiB",
                                                            "features_impl": "legacy", "leak_scale": "3000"]))
        #expect(drill.method.contains { $0.kind == .act(.scale(workers: 4, maxRequests: 400)) })
        #expect(drill.method.contains { $0.kind == .act(.restart(featuresImpl: .patched)) })
        #expect(drill.method.contains { $0.kind == .expectAlert(alert: "HighErrorRate", state: .resolved, within: PromDuration("10m")!, notified: true) })
        #expect(drill.method.contains { $0.kind == .load(.start(scenario: "scenarios/predict-peak.yaml", users: 100, spawnRate: 10)) })
        #expect(drill.rollbacks.count == 3)
        // Lines point into the Markdown file.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[runbook.blockLine - 1] == "```drill")
        #expect(lines[drill.method[0].line - 1].contains("- start:"))
        // Overrides from the CLI.
        let fast = try Runbook.parse(markdown: text, file: "x", variables: ["users": "20"], timeScale: 0.1).drill
        #expect(fast.timeScale == 0.1)
        #expect(fast.method.contains { $0.kind == .load(.start(scenario: "scenarios/predict-peak.yaml", users: 20, spawnRate: 10)) })
    }

    @Test func everyStepKind() throws {
        let drill = try Runbook.parse(markdown: Self.runbook("""
            title: all kinds
            time_scale: 0.5
            method:
              - start: {workers: 2, memory_limit: 512MiB}
              - seed: {models: 2, rows: 300}
              - fault: {action: set, type: latency, latency_ms: 200, probability: 0.5, ttl: 90s, route: "/api/models/{id}/predict"}
              - fault: {action: clear, id: f1}
              - load: {action: start, scenario: s.yaml, users: 5, spawn_rate: 2.5}
              - load: {action: stop}
              - expect_alert: {name: HighLatencyP95, state: firing, within: 1m30s}
              - act: {action: scale, workers: 3}
              - act: {action: retrain}
              - act: {action: clear_fault}
              - assert: {query: up, min: 1, for: 30s}
              - wait: 500ms
            """), file: "rb.md").drill
        #expect(drill.timeScale == 0.5)
        #expect(drill.method.map(\.kind) == [
            .start(options: ["workers": "2", "memory_limit": "512MiB"]),
            .seed(models: 2, rows: 300),
            .faultSet(FaultSpec(type: .latency, probability: 0.5, route: "/api/models/{id}/predict", latencyMs: 200, ttl: "1m30s")),
            .faultClear(id: "f1"),
            .load(.start(scenario: "s.yaml", users: 5, spawnRate: 2.5)),
            .load(.stop),
            .expectAlert(alert: "HighLatencyP95", state: .firing, within: PromDuration(milliseconds: 90_000)),
            .act(.scale(workers: 3, maxRequests: nil)),
            .act(.retrain(model: nil)),
            .act(.clearFault(id: nil)),
            .assert(query: "up", tolerance: Tolerance(min: 1), holdFor: PromDuration("30s")!),
            .wait(PromDuration(milliseconds: 500)),
        ])
        #expect(drill.method.map(\.line) == Array(7...18))
    }

    @Test func blockCount() throws {
        #expect(throws: DrillError(file: "a.md", line: 1, message: "no ```drill block found (a runbook needs exactly one)")) {
            try Runbook.parse(markdown: "# x\n```yaml\ntitle: t\n```\n", file: "a.md")
        }
        let two = Self.runbook(Self.minimal) + "\n```drill\n" + Self.minimal + "\n```\n"
        do {
            _ = try Runbook.parse(markdown: two, file: "a.md")
            Issue.record("two blocks must be refused")
        } catch let error as DrillError {
            #expect(error.line == 11)
            #expect(error.description.hasPrefix("a.md:11: a second ```drill block (the first is at line 3)"))
        }
        // A ```drill inside another fence is not a block; an unclosed one is an error.
        let nested = "````md\n```drill\nnope\n```\n````\n" + Self.runbook(Self.minimal)
        #expect(try Runbook.parse(markdown: nested, file: "a.md").blockLine == 8)
        #expect(throws: DrillError.self) { try Runbook.parse(markdown: "```drill\ntitle: t\n", file: "a.md") }
    }

    @Test func schemaErrorsNameFileLineAndPath() throws {
        #expect(try Self.error("title: t\nmethdo:\n  - wait: 1s").description
                == "rb.md:5: methdo: unknown key 'methdo' (did you mean 'method'?)")
        #expect(try Self.error("method:\n  - wait: 1s").description == "rb.md:4: title: missing required field 'title'")
        #expect(try Self.error("title: t\nmethod: {wait: 1s}").description == "rb.md:5: method: expected a list, found a mapping")
        #expect(try Self.error("title: t\nmethod:\n  - wait: 5 minutes").description
                == "rb.md:6: method[0].wait: bad duration '5 minutes' (expected e.g. 30s, 5m, 1h30m, 500ms)")
        #expect(try Self.error("title: t\nmethod:\n  - wait: 1s\n  - expect_alrt: {name: A, state: firing, within: 1m}").description
                == "rb.md:7: method[1].expect_alrt: unknown step kind 'expect_alrt' (did you mean 'expect_alert'?)")
        #expect(try Self.error("title: t\nmethod:\n  - expect_alert: {name: A, state: firing}").description
                == "rb.md:6: method[0].expect_alert.within: missing required field 'within'")
        #expect(try Self.error("title: t\nmethod:\n  - expect_alert: {name: A, state: fireing, within: 1m}").description
                == "rb.md:6: method[0].expect_alert.state: expected one of firing, resolved, found 'fireing' (did you mean 'firing'?)")
        #expect(try Self.error("title: t\nmethod:\n  - load: {action: start, scenario: s.yaml, users: many}").description
                == "rb.md:6: method[0].load.users: expected an integer, found 'many'")
        #expect(try Self.error("title: t\nmethod:\n  - act: {action: scale, features_impl: patched}").description
                == "rb.md:6: method[0].act.features_impl: not allowed with action: scale (allowed: action, workers, max_requests)")
        #expect(try Self.error("title: t\nsteady_state:\n  - name: p\n    prometheus: {query: up}\nmethod:\n  - wait: 1s").description
                == "rb.md:7: steady_state[0].prometheus: missing required field 'min' or 'max'")
        #expect(try Self.error("title: t\ntime_scale: 30\nmethod:\n  - wait: 1s").description
                == "rb.md:5: time_scale: expected a number in (0, 1] such as 1/30 or 0.5, found '30'")
        #expect(try Self.error("title: t\nmethod:\n  - wait: ${pause}").description
                == "rb.md:6: method[0].wait: unknown variable 'pause'")
        #expect(try Self.error("title: t\nvariables: {pause: 1s}\nmethod:\n  - wait: 1s", variables: ["puase": "2s"]).description
                == "rb.md:4: variables: override of unknown variable 'puase' (did you mean 'pause'?)")
        #expect(try Self.error("title: t\nmethod:\n  - {wait: 1s, seed: {}}").description
                == "rb.md:6: method[0]: a step has exactly one kind, found seed, wait")
        // YAML syntax errors map to the Markdown file's line too.
        let syntax = try Self.error("title: t\nmethod:\n  - wait: [1s\n")
        #expect(syntax.line >= 6 && syntax.message.hasPrefix("invalid YAML"))
    }

    @Test func variablesSubstitute() throws {
        let yaml = "title: t ${n}\nvariables: {n: 3, d: 2s}\nmethod:\n  - act: {action: scale, workers: \"${n}\"}\n  - wait: ${d}"
        let drill = try Runbook.parse(markdown: Self.runbook(yaml), file: "rb.md", variables: ["n": "7"]).drill
        #expect(drill.title == "t 7")
        #expect(drill.method.map(\.kind) == [.act(.scale(workers: 7, maxRequests: nil)), .wait(PromDuration("2s")!)])
        #expect(throws: DrillError.self) { try Runbook.parse(markdown: Self.runbook(Self.minimal), file: "rb.md", timeScale: 2) }
    }

    // MARK: The repository's runbooks

    /// The incident runbooks (one drill block each) and the alert each drill must see fire and resolve.
    static let incidentRunbooks: [String: String] = [
        "memory-leak.md": "HighErrorRate",
        "high-error-rate.md": "HighErrorRate",
        "high-latency-p95.md": "HighLatencyP95",
        "data-drift-high.md": "DataDriftHigh",
        "model-accuracy-low.md": "ModelAccuracyLow",
        "service-down.md": "ServiceDown",
        "database-latency.md": "StoreUnavailable",
    ]

    /// Every runbook under runbooks/ with a ```drill fence, and its text.
    static func drillRunbooks() throws -> [(name: String, text: String)] {
        let directory = repo.appendingPathComponent("runbooks")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".md") }.sorted()
        return try names.compactMap { name in
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let fenced = text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```drill") }
            return fenced ? (name, text) : nil
        }
    }

    /// The drills of `drillRunbooks()`, parsed.
    static func parsedDrills() throws -> [(name: String, drill: Drill)] {
        try drillRunbooks().map {
            ($0.name, try Runbook.parse(markdown: $0.text, file: "runbooks/\($0.name)").drill)
        }
    }

    @Test func everyRunbookDrillParses() throws {
        let runbooks = try Self.drillRunbooks()
        #expect(Set(Self.incidentRunbooks.keys).isSubset(of: Set(runbooks.map(\.name))))
        for (name, text) in runbooks {
            let file = "runbooks/\(name)"
            do {
                _ = try Runbook.parse(markdown: text, file: file)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test(arguments: incidentRunbooks.keys.sorted())
    func incidentRunbookDrillsItsAlert(_ name: String) throws {
        let file = "runbooks/\(name)"
        let text = try String(contentsOf: Self.repo.appendingPathComponent(file), encoding: .utf8)
        // Exactly one block.
        let (_, line) = try Runbook.extractBlock(markdown: text, file: file)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1] == "```drill")
        let drill = try Runbook.parse(markdown: text, file: file).drill
        let alert = try #require(Self.incidentRunbooks[name])
        func expects(_ state: Step.AlertExpectation) -> Bool {
            drill.method.contains { step in
                if case .expectAlert(alert, state, _, _) = step.kind { return true }
                return false
            }
        }
        #expect(expects(.firing), "\(file) never expects \(alert) firing")
        #expect(expects(.resolved), "\(file) never expects \(alert) resolved")
        #expect(drill.timeScale < 1, "\(file) runs at real time")
        switch drill.method.first?.kind {
        case .start?, .process?: break
        default: Issue.record("\(file): the method does not begin with start")
        }
        #expect(!drill.steadyState.isEmpty, "\(file) has no steady state")
        #expect(!drill.rollbacks.isEmpty, "\(file) has no rollbacks")
    }

    /// What the drills send is what the service, LoadKit and alerts.yml accept: every fault through
    /// the admin API's own validation (the drill sends a `ttl` in whole seconds, e.g. `90s`, which it accepts), every
    /// scenario loads with its tags, every expected alert exists.
    @Test func drillStepsAreAcceptedByWhatTheyDrive() throws {
        let rules = try String(contentsOf: Self.repo.appendingPathComponent("alerts.yml"), encoding: .utf8)
        let alerts = Set(rules.split(separator: "\n").compactMap { line -> String? in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("- alert: ") ? String(text.dropFirst("- alert: ".count)) : nil
        })
        #expect(alerts.count == 15)
        for (name, drill) in try Self.parsedDrills() {
            for step in drill.method + drill.rollbacks {
                let at = "runbooks/\(name):\(step.line)"
                switch step.kind {
                case .faultSet(let spec):
                    // Decoding validated it by the service's rules (AnalyzerAPI); it still holds.
                    #expect(throws: Never.self, "\(at)") { try spec.validate() }
                case .load(.start(let scenario, _, _, _, let tags, _, _)):
                    do {
                        var overrides = PlanOverrides()
                        overrides.tags = tags
                        _ = try overrides.apply(to: try ScenarioLoader.load(path: Self.repo.appendingPathComponent(scenario).path))
                    } catch {
                        Issue.record("\(at): load \(scenario) tags \(tags): \(error)")
                    }
                case .expectAlert(let alert, _, _, _):
                    #expect(alerts.contains(alert), "\(at): no alert \(alert) in alerts.yml")
                default:
                    break
                }
            }
        }
    }
}

/// A drill's `load` step overrides only what it states (issue #12: a scenario's shape survives).
@Suite struct LoadStepTests {
    static func scenario(_ load: String) throws -> LoadPlan {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadstep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml")
        try """
            host: http://127.0.0.1:9
            \(load)
            users:
              - name: U
                tasks:
                  - {name: r, get: /}
            """.write(to: file, atomically: true, encoding: .utf8)
        return try ScenarioLoader.load(path: file.path)
    }

    @Test func unstatedFieldsKeepTheScenarios() throws {
        let stages = try Self.scenario("load:\n  stages:\n    - {duration: 10s, users: 5, spawn_rate: 1}\n    - {duration: 20s, users: 50, spawn_rate: 10}")
        let kept = try DrillRunner.loadPlan(stages, host: "http://127.0.0.1:1", users: nil, spawnRate: nil, runTime: nil, tags: [])
        #expect(kept.load == stages.load)
        #expect(kept.host == "http://127.0.0.1:1")
        // Stating users replaces the shape with a plain ramp, as Locust's -u does.
        let ramp = try DrillRunner.loadPlan(stages, host: "http://127.0.0.1:1", users: 7, spawnRate: nil, runTime: nil, tags: [])
        guard case .closed(let users, _, _) = ramp.load else { Issue.record("expected a ramp, got \(ramp.load)"); return }
        #expect(users == 7)

        let closed = try Self.scenario("load: {users: 30, spawn_rate: 3, run_time: 1m}")
        let steady = try DrillRunner.loadPlan(closed, host: "http://127.0.0.1:1", users: nil, spawnRate: 6, runTime: nil, tags: [])
        #expect(steady.load == .closed(users: 30, spawnRate: 6, runTime: 6 * 3600))
        let timed = try DrillRunner.loadPlan(closed, host: "http://127.0.0.1:1", users: nil, spawnRate: nil, runTime: 4, tags: [])
        #expect(timed.load == .closed(users: 30, spawnRate: 3, runTime: 4))
    }

    @Test func decoderLeavesUnstatedFieldsOut() throws {
        let drill = try Runbook.parse(markdown: RunbookTests.runbook("""
            title: loads
            method:
              - load: {action: start, scenario: s.yaml}
              - load: {action: start, scenario: s.yaml, users: 3, run_time: 2m}
            """), file: "rb.md").drill
        #expect(drill.method.map(\.kind) == [
            .load(.start(scenario: "s.yaml")),
            .load(.start(scenario: "s.yaml", users: 3, runTime: PromDuration("2m"))),
        ])
    }
}
