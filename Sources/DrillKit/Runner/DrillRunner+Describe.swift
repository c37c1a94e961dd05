import Foundation
import LoadKit

/// How steps and values read in the journal and on the console.
extension DrillRunner {
    // MARK: Formatting

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(format: "%.4g", v)
    }

    static func bounds(_ t: Tolerance) -> String {
        switch (t.min, t.max) {
        case let (min?, max?): "[\(number(min)), \(number(max))]"
        case let (min?, nil): "≥ \(number(min))"
        case let (nil, max?): "≤ \(number(max))"
        default: "any value"
        }
    }

    /// Of two values, the one closer to a bound.
    static func worse(_ a: Double?, _ b: Double, _ t: Tolerance) -> Double {
        guard let a else { return b }
        if t.max != nil { return Swift.max(a, b) }
        return Swift.min(a, b)
    }

    /// A request body as sent, for the journal.
    static func json(_ body: some Encodable) -> String {
        (try? ServiceClient.encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func title(_ step: Step) -> String {
        step.name ?? describe(step.kind)
    }

    func kindName(_ kind: Step.Kind) -> String {
        switch kind {
        case .start: "start"
        case .seed: "seed"
        case .faultSet, .faultClear: "fault"
        case .load: "load"
        case .expectAlert: "expect_alert"
        case .act: "act"
        case .assert: "assert"
        case .wait: "wait"
        case .process: "start"
        case .proxy: "proxy"
        case .http: "http"
        case .exec: "exec"
        case .signal: "signal"
        case .diagnose: "diagnose"
        }
    }

    func describe(_ kind: Step.Kind) -> String {
        switch kind {
        case .start(let options):
            options.isEmpty ? "start csv-analyzer"
                : "start csv-analyzer (\(options.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
        case .seed(let models, let rows): "seed: upload iris\(rows.map { " (\($0) rows)" } ?? ""), train \(models) model\(models == 1 ? "" : "s")"
        case .faultSet(let spec): "inject fault \(spec.type.rawValue)"
        case .faultClear(let id), .act(.clearFault(let id)): id.map { "clear fault \($0)" } ?? "clear every fault"
        case .load(.start(let scenario, let users, let rate, _, _, let host, let arrival)):
            "load \(scenario)" + (users.map { ": \($0) users" } ?? "") + (rate.map { " at \(Self.number($0))/s" } ?? "")
                + (arrival.map { " at an arrival rate of \($0.stages.count) stages (peak \(Self.number($0.stages.map(\.target).max() ?? $0.startRate))/s)" } ?? "")
                + (host.map { " against \($0)" } ?? "")
        case .load(.stop): "stop the load"
        case .expectAlert(let alert, let state, let within, let notified):
            "expect \(alert) \(state.rawValue)\(notified ? " and notified" : "") within \(within)"
        case .act(.scale(let workers, let maxRequests)):
            "scale: " + [workers.map { "\($0) workers" }, maxRequests.map { "max_requests \($0)" }].compactMap { $0 }.joined(separator: ", ")
        case .act(.restart(let impl)): "rolling restart" + (impl.map { " onto \($0.rawValue)" } ?? "")
        case .act(.retrain(let model)): "retrain " + (model ?? "every model")
        case .act(.stopService): "stop csv-analyzer"
        case .assert(let query, let tolerance, let duration): "assert \(query) \(Self.bounds(tolerance)) for \(duration)"
        case .diagnose(let within): "run the runbook's diagnosis within \(within)"
        case .wait(let duration): "wait \(duration)"
        case .process(let step): "start \(step.name)"
        case .proxy(.create(let name, let listen, let upstream, let proto)): "proxy \(name) (\(proto.rawValue)): \(listen) → \(upstream)"
        case .proxy(.addToxic(let toxic)):
            "toxic \(toxic.type) on \(toxic.proxy)" + (toxic.toxicity < 1 ? " at \(Self.number(toxic.toxicity * 100)) %" : "")
        case .proxy(.removeToxic(let proxy, let toxic)): "remove toxic \(toxic) from \(proxy)"
        case .proxy(.reset): "reset the proxy"
        case .http(let step): "\(step.method) \(step.url)" + (step.status.isEmpty ? "" : " → \(step.status.map(String.init).joined(separator: "|"))")
        case .exec(let step): "exec " + Self.commandLine(step.command.argv)
        case .signal(let step):
            switch step.target {
            case .process(let name): "\(step.signal) to \(name)"
            case .pidfile(let file): "\(step.signal) to the PID in \(file)"
            }
        }
    }

    /// A command as a shell would show it (`sh -c` commands as their script).
    static func commandLine(_ argv: [StepText]) -> String {
        if argv.count == 3, argv[0] == "/bin/sh", argv[1] == "-c" { return argv[2].description }
        return argv.map(\.description).joined(separator: " ")
    }
}

extension Step {
    /// Whether the step checks something (one JUnit case each).
    var isExpectation: Bool {
        switch kind {
        case .expectAlert, .assert, .diagnose: true
        case .http(let step): step.within != nil || !step.status.isEmpty || !step.bodyContains.isEmpty
        case .exec(let step): step.within != nil || !step.outputContains.isEmpty
        default: false
        }
    }
}
