import AnalyzerAPI
import FiredrillSupport
import Foundation
import LoadKit

extension DrillRunner {
    /// Runs one step and records its result; errors become a failed result naming the step.
    func execute(_ step: Step) async -> DrillJournal.StepResult {
        let title = title(step)
        setPhase(title)
        options.onStep?(title, nil)
        let begin = Date()
        var outcome = DrillJournal.Outcome.passed
        var detail: String
        do {
            (outcome, detail) = try await perform(step.kind, title: title)
        } catch {
            outcome = .failed
            detail = "\(error)"
        }
        if isInterrupted, outcome == .failed {
            detail = "interrupted: " + detail
        }
        if outcome == .failed {
            record(.stepFailed, "\(title) failed")
        }
        let result = DrillJournal.StepResult(
            title: title, kind: kindName(step.kind), line: step.line, outcome: outcome, isExpectation: step.isExpectation,
            detail: detail, startedAt: begin, endedAt: Date())
        options.onStep?(title, result)
        return result
    }

    var service: ServiceClient { ServiceClient(baseURL: stack.serviceURL, token: stack.adminToken) }

    /// Wall-clock seconds for an incident-time duration.
    func wallSeconds(_ duration: PromDuration) -> Double {
        Double(duration.milliseconds) / 1000 * drill.timeScale
    }

    /// "10m (20 s at time scale 1/30)", or "10m" at scale 1.
    func describe(_ duration: PromDuration) -> String {
        drill.timeScale == 1 ? duration.description
            : "\(duration) (\(Self.seconds(wallSeconds(duration))) at time scale \(DrillFormat.fraction(drill.timeScale)))"
    }

    static func seconds(_ s: Double) -> String { s < 10 ? String(format: "%.1f s", s) : String(format: "%.0f s", s) }

    func perform(_ kind: Step.Kind, title: String) async throws -> (DrillJournal.Outcome, String) {
        switch kind {
        case .start(let options):
            // A start after a stop_service is the remedy: its timeline moment is when it began.
            if state.withLock({ $0.serviceStopped }) { record(.hotfix, "restart csv-analyzer") }
            let note = try await stack.startService(options: try options.mapValues(render))
            let restarted = state.withLock { s -> Bool in
                defer { s.serviceStarted = true; s.serviceStopped = false; s.lastScrape = nil }
                return s.serviceStopped
            }
            if !restarted { record(.serviceStarted, "csv-analyzer started") }
            return (.passed, note)
        case .seed(let models, let rows):
            return (.passed, try await seed(models: models, rows: rows))
        case .faultSet(let spec):
            let fault = try await FaultClient(target: stack.serviceURL, token: stack.adminToken).set(spec)
            record(.faultInjected, "fault \(spec.type.rawValue) injected")
            return (.passed, "fault \(fault.id) active: \(Self.json(spec))")
        case .faultClear(let id), .act(.clearFault(let id)):
            try await FaultClient(target: stack.serviceURL, token: stack.adminToken).clear(id: id)
            record(.faultCleared, id.map { "fault \($0) cleared" } ?? "faults cleared")
            return (.passed, id.map { "fault \($0) cleared" } ?? "every fault cleared")
        case .load(.start(let scenario, let users, let spawnRate, let runTime, let tags, let host, let arrival)):
            return (.passed, try await startLoad(scenario: scenario, users: users, spawnRate: spawnRate, runTime: runTime, tags: tags,
                                                 host: try host.map(render), arrival: arrival))
        case .load(.stop):
            guard let summary = await stopLoad() else { return (.passed, "no load was running") }
            let total = summary.stats.total
            return (.passed, String(format: "%d requests, %d failed (%.2f %%), p95 %.0f ms, over %.0f s", total.requests, total.failures,
                                    total.failureRate * 100, total.percentile(95), summary.duration))
        case .expectAlert(let alert, let expected, let within, let notified):
            return try await expectAlert(alert, expected, within: within, notified: notified)
        case .act(.scale(let workers, let maxRequests)):
            let body = WorkersRequest(count: workers, maxRequests: maxRequests)
            try await service.expectOK(.POST, "/admin/workers", json: body)
            record(.hotfix, title)
            return (.passed, "POST /admin/workers \(Self.json(body))")
        case .act(.restart(let featuresImpl)):
            let body = RestartRequest(featuresImpl: featuresImpl)
            try await service.expectOK(.POST, "/admin/workers/restart", json: body)
            record(featuresImpl == nil ? .hotfix : .patch, title)
            let done = try await waitUntilPoolIdle(timeout: 180)
            return (.passed, "POST /admin/workers/restart \(Self.json(body)); " + (done ? "every worker replaced" : "still replacing workers"))
        case .act(.stopService):
            record(.faultInjected, "stop csv-analyzer")
            let note = try await stack.stopService()
            state.withLock { $0.serviceStopped = true }
            return (.passed, note)
        case .act(.retrain(let model)):
            return (.passed, try await retrain(model: model))
        case .assert(let query, let tolerance, let holdFor):
            return try await hold(query: query, tolerance: tolerance, for: holdFor, title: title)
        case .process(let step):
            return (.passed, try await startProgram(step))
        case .proxy(let step):
            return (.passed, try await proxy(step))
        case .http(let step):
            return try await http(step)
        case .exec(let step):
            return try await exec(step)
        case .signal(let step):
            return (.passed, try signal(step))
        case .diagnose(let within):
            return try await diagnose(within: within)
        case .wait(let duration):
            let completed = await pause(wallSeconds(duration))
            return completed ? (.passed, "waited \(describe(duration))") : (.skipped, "interrupted")
        }
    }

    // MARK: Steps

    func seed(models: Int, rows: Int?) async throws -> String {
        let path = options.baseDirectory.appendingPathComponent("scenarios/data/iris.csv")
        guard let data = FileManager.default.contents(atPath: path.path) else {
            throw ControlError(message: "seed: cannot read \(path.path)")
        }
        var csv = data
        if let rows {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            guard let header = lines.first, lines.count > 1 else { throw ControlError(message: "seed: \(path.path) has no rows") }
            let body = lines.dropFirst()
            csv = Data(([header] + (0..<max(1, rows)).map { body[body.startIndex + $0 % body.count] }).joined(separator: "\n").utf8 + [10])
        }
        let dataset = try await service.expectOK(.POST, "/api/datasets?name=drill-iris", body: csv, contentType: "text/csv")
        guard let datasetID = dataset["id"] as? String else { throw ControlError(message: "seed: the upload answered no dataset id") }
        var ids: [String] = []
        for n in 1...max(1, models) {
            let model = try await service.expectOK(.POST, "/api/models", json: [
                "dataset": datasetID, "target": "target", "algorithm": "logistic_regression", "name": "drill-model-\(n)",
            ] as [String: String])
            guard let id = model["id"] as? String else { throw ControlError(message: "seed: training answered no model id") }
            try await waitUntilReady(model: id)
            ids.append(id)
        }
        record(.seeded, "dataset and \(ids.count) model(s) ready")
        return "dataset \(datasetID) (\(csv.count) bytes); model(s) \(ids.joined(separator: ", ")) ready"
    }

    func waitUntilReady(model id: String, timeout: Double = 120) async throws {
        let end = Date().addingTimeInterval(timeout)
        while true {
            let object = try await service.expectOK(.GET, "/api/models/\(id)")
            switch object["status"] as? String {
            case "ready": return
            case "failed": throw ControlError(message: "model \(id) failed to train: \(object["error"] ?? "no reason given")")
            default:
                guard Date() < end else { throw ControlError(message: "model \(id) not ready after \(Int(timeout)) s") }
                guard await pause(0.5) else { throw ControlError(message: "interrupted") }
            }
        }
    }

    func waitUntilPoolIdle(timeout: Double) async throws -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            let object = try await service.expectOK(.GET, "/admin/workers")
            guard let busy = object["busy"] as? Bool, busy else { return true }
            guard await pause(0.5) else { return false }
        }
        return false
    }

    func retrain(model: String?) async throws -> String {
        var ids: [String]
        if let model {
            ids = [model]
        } else {
            let list = try await service.expectOK(.GET, "/api/models")
            ids = (list["models"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "ready" }.compactMap { $0["id"] as? String }
        }
        guard !ids.isEmpty else { throw ControlError(message: "retrain: no ready model to retrain") }
        for id in ids {
            _ = try await service.expectOK(.POST, "/api/models/\(id)/retrain", json: [String: String]())
            try await waitUntilReady(model: id)
        }
        record(.hotfix, "retrained \(ids.count) model(s)")
        return "retrained \(ids.joined(separator: ", "))"
    }

    // MARK: Expectations

    func expectAlert(_ alert: String, _ expected: Step.AlertExpectation, within: PromDuration, notified: Bool) async throws
        -> (DrillJournal.Outcome, String) {
        guard stack.prometheus != nil else {
            // Give the incident the time it would have had, so the steps after it (the remedy, the
            // RAM checks) still meet the service in the state the runbook expects.
            let waited = await pause(wallSeconds(within))
            return (.skipped, "skipped, not passed: \(stack.monitoringGap ?? "no Prometheus to ask")"
                + (waited ? "; waited the \(describe(within)) it had" : ""))
        }
        let begin = Date()
        let limit = wallSeconds(within)
        var heldAt: Date?
        var notifiedAt: Date?
        let since = state.withLock { s in expected == .firing ? startedAt : (s.tracker.firingSince[alert] ?? startedAt) }
        while true {
            let (holds, prometheusError, current) = state.withLock {
                ($0.tracker.holds(alert, expected), $0.prometheusError, $0.tracker.states[alert] ?? "inactive")
            }
            if holds, heldAt == nil { heldAt = Date() }
            let notes = stack.notifications()
            if notified, notifiedAt == nil, let notes,
               let note = notes.first(where: { $0.receivedAt >= since && $0.reports(alert, status: expected.rawValue) }) {
                notifiedAt = note.receivedAt
            }
            if let heldAt, !notified || notes == nil || notifiedAt != nil {
                var detail = "\(alert) \(expected.rawValue) after \(Self.seconds(max(0, heldAt.timeIntervalSince(begin))))"
                if let notifiedAt {
                    detail += "; notification at the webhook after \(Self.seconds(max(0, notifiedAt.timeIntervalSince(begin))))"
                }
                if notified, notes == nil {
                    return (.skipped, detail + "; notification not checked (no webhook), so skipped, not passed")
                }
                return (.passed, detail)
            }
            if Date().timeIntervalSince(begin) >= limit {
                var detail = heldAt == nil
                    ? "\(alert) was not \(expected.rawValue) within \(describe(within)); Prometheus' state: \(current)"
                    : "\(alert) \(expected.rawValue), but Alertmanager's notification did not reach the webhook within \(describe(within))"
                if let prometheusError { detail += "; last Prometheus error: \(prometheusError)" }
                return (.failed, detail)
            }
            guard await pause(0.25) else { return (.failed, "\(alert): interrupted while waiting") }
        }
    }

    /// Evaluates `query` now: Prometheus when present, else a scrape of the service for the simple
    /// queries `ScrapeQuery` handles; nil when it cannot be evaluated here.
    func evaluate(_ query: String) async throws -> [Double]? {
        if let prometheus = stack.prometheus {
            let scaled = drill.timeScale == 1 ? query
                : try RuleScaler.scale(query: query, factor: drill.timeScale, minimumRange: PromDuration("4s"))
            return try await prometheus.query(scaled).map(\.value)
        }
        guard let simple = ScrapeQuery(query) else { return nil }
        let answer = try await ServiceClient(baseURL: stack.serviceURL, token: stack.adminToken, timeout: .seconds(5)).send(.GET, "/metrics")
        guard answer.status == 200 else { throw ControlError(message: "GET /metrics → HTTP \(answer.status)") }
        return simple.evaluate(Exposition.parse(String(decoding: answer.body, as: UTF8.self))).map { [$0] } ?? []
    }

    func hold(query: String, tolerance: Tolerance, for duration: PromDuration, title: String) async throws
        -> (DrillJournal.Outcome, String) {
        let seconds = wallSeconds(duration)
        let begin = Date()
        var evaluations = 0
        var worst: Double?
        var errors = 0
        repeat {
            let values: [Double]?
            do {
                values = try await evaluate(query)
                errors = 0
            } catch {
                errors += 1
                guard errors >= 3 else { _ = await pause(1); continue }
                throw error
            }
            guard let values else {
                return (.skipped, "skipped, not passed: this query needs Prometheus (\(stack.monitoringGap ?? "absent"))")
            }
            let at = Self.seconds(Date().timeIntervalSince(begin))
            guard !values.isEmpty else { return (.failed, "no samples at +\(at) of \(describe(duration)): \(query)") }
            evaluations += 1
            for value in values {
                if !tolerance.contains(value) {
                    return (.failed, "\(Self.number(value)) is outside \(Self.bounds(tolerance)) at +\(at) of \(describe(duration)): \(query)")
                }
                worst = Self.worse(worst, value, tolerance)
            }
            guard await pause(1) else { return (.failed, "interrupted after \(evaluations) evaluations") }
        } while Date().timeIntervalSince(begin) < seconds
        record(.stable, "held: \(title)")
        return (.passed, "held for \(describe(duration)): \(evaluations) evaluations, all \(Self.bounds(tolerance)), closest to the bound \(worst.map(Self.number) ?? "-")")
    }

    func checkSteadyState(phase: String) async -> [DrillJournal.ProbeResult] {
        setPhase(phase)
        var results: [DrillJournal.ProbeResult] = []
        for probe in drill.steadyState {
            options.onStep?("\(phase): \(probe.name)", nil)
            let begin = Date()
            let (outcome, value, detail) = await check(probe)
            let result = DrillJournal.ProbeResult(name: probe.name, line: probe.line, outcome: outcome, value: value, detail: detail,
                                                  startedAt: begin, endedAt: Date())
            options.onStep?("\(phase): \(probe.name)",
                            .init(title: "\(phase): \(probe.name)", kind: "probe", line: probe.line, outcome: outcome, isExpectation: true,
                                  detail: detail, startedAt: begin, endedAt: result.endedAt))
            results.append(result)
        }
        return results
    }

    func check(_ probe: Probe) async -> (DrillJournal.Outcome, Double?, String) {
        switch probe.check {
        case .prometheus(let query, let tolerance):
            do {
                guard let values = try await evaluate(query) else {
                    return (.skipped, nil, "skipped, not passed: this query needs Prometheus (\(stack.monitoringGap ?? "absent"))")
                }
                guard !values.isEmpty else { return (.failed, nil, "no samples: \(query)") }
                if let bad = values.first(where: { !tolerance.contains($0) }) {
                    return (.failed, bad, "\(Self.number(bad)) is outside \(Self.bounds(tolerance))")
                }
                let worst = values.reduce(nil) { Self.worse($0, $1, tolerance) }
                return (.passed, worst, "\(worst.map(Self.number) ?? "-") within \(Self.bounds(tolerance))")
            } catch {
                return (.failed, nil, "\(error)")
            }
        case .http(let path, let status, let timeout):
            do {
                let client = ServiceClient(baseURL: stack.serviceURL, token: stack.adminToken, timeout: timeout.duration)
                let answer = try await client.send(.GET, path)
                return answer.status == status
                    ? (.passed, Double(answer.status), "GET \(path) → HTTP \(answer.status)")
                    : (.failed, Double(answer.status), "GET \(path) → HTTP \(answer.status), expected \(status)")
            } catch {
                return (.failed, nil, "\(error)")
            }
        }
    }
}
