import AnalyzerAPI
import Foundation
import FiredrillSupport
import Yams

/// Turns a drill block's YAML node tree into a `Drill`, strictly: every error names `file:line: key.path`.
struct DrillDecoder {
    let file: String
    let blockLine: Int
    let overrides: [String: String]
    var variables: [String: String] = [:]

    init(file: String, blockLine: Int, overrides: [String: String]) {
        self.file = file
        self.blockLine = blockLine
        self.overrides = overrides
    }

    // MARK: drill

    mutating func drill(_ node: Node) throws -> Drill {
        let keys = try mapping(node, "", allowed: ["title", "description", "variables", "time_scale", "steady_state", "method", "rollbacks"],
                               required: ["title", "method"])
        if let vars = keys["variables"] {
            let pairs = try mapping(vars, "variables", allowed: nil, required: [])
            for (name, value) in pairs { variables[name] = try rawScalar(value, "variables.\(name)") }
        }
        for (name, value) in overrides {
            guard variables[name] != nil else {
                throw error(node, "variables", "override of unknown variable '\(name)'\(suggestion(name, Array(variables.keys)))")
            }
            variables[name] = value
        }
        let title = try string(keys["title"]!, "title")
        if let description = keys["description"] { _ = try string(description, "description") }
        var timeScale = 1.0
        if let scale = keys["time_scale"] { timeScale = try self.timeScale(scale, "time_scale") }
        let probes = try keys["steady_state"].map { try list($0, "steady_state").enumerated().map { try probe($1, "steady_state[\($0)]") } } ?? []
        let method = try list(keys["method"]!, "method").enumerated().map { try step($1, "method[\($0)]") }
        guard !method.isEmpty else { throw error(keys["method"]!, "method", "needs at least one step") }
        let rollbacks = try keys["rollbacks"].map { try list($0, "rollbacks").enumerated().map { try step($1, "rollbacks[\($0)]") } } ?? []
        return Drill(title: title, variables: variables, timeScale: timeScale, steadyState: probes, method: method, rollbacks: rollbacks)
    }

    func timeScale(_ node: Node, _ path: String) throws -> Double {
        let text = try rawScalar(node, path)
        guard let value = TimeScale.parse(text) else {
            throw error(node, path, "expected a number in (0, 1] such as 1/30 or 0.5, found '\(text)'")
        }
        return value
    }

    // MARK: probes

    func probe(_ node: Node, _ path: String) throws -> Probe {
        let keys = try mapping(node, path, allowed: ["name", "prometheus", "http"], required: ["name"])
        let name = try string(keys["name"]!, "\(path).name")
        let kinds = ["prometheus", "http"].filter { keys[$0] != nil }
        guard kinds.count == 1 else {
            throw error(node, path, kinds.isEmpty ? "a probe needs one of prometheus, http" : "a probe has exactly one of prometheus, http")
        }
        if let body = keys["prometheus"] {
            let p = "\(path).prometheus"
            let fields = try mapping(body, p, allowed: ["query", "min", "max"], required: ["query"])
            return Probe(name: name, check: .prometheus(query: try string(fields["query"]!, "\(p).query"),
                                                        tolerance: try tolerance(fields, body, p)), line: line(node))
        }
        let body = keys["http"]!, p = "\(path).http"
        let fields = try mapping(body, p, allowed: ["path", "status", "timeout"], required: ["path"])
        let target = try string(fields["path"]!, "\(p).path")
        guard target.hasPrefix("/") else { throw error(fields["path"]!, "\(p).path", "must start with '/', found '\(target)'") }
        return Probe(name: name, check: .http(path: target, status: try fields["status"].map { try int($0, "\(p).status") } ?? 200,
                                              timeout: try fields["timeout"].map { try duration($0, "\(p).timeout") } ?? PromDuration("5s")!),
                     line: line(node))
    }

    func tolerance(_ fields: [String: Node], _ node: Node, _ path: String) throws -> Tolerance {
        let min = try fields["min"].map { try double($0, "\(path).min") }
        let max = try fields["max"].map { try double($0, "\(path).max") }
        guard min != nil || max != nil else { throw error(node, path, "missing required field 'min' or 'max'") }
        if let min, let max, min > max { throw error(node, path, "min (\(min)) is above max (\(max))") }
        return Tolerance(min: min, max: max)
    }

    // MARK: steps

    static let stepKinds = ["start", "seed", "fault", "load", "expect_alert", "act", "assert", "wait"]

    func step(_ node: Node, _ path: String) throws -> Step {
        let keys = try mapping(node, path, allowed: ["name"] + Self.stepKinds, required: [], unknownHint: "unknown step kind")
        let name = try keys["name"].map { try string($0, "\(path).name") }
        let kinds = Self.stepKinds.filter { keys[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let body = keys[kind] else {
            throw error(node, path, kinds.isEmpty ? "a step needs one kind: \(Self.stepKinds.joined(separator: ", "))"
                                                  : "a step has exactly one kind, found \(kinds.joined(separator: ", "))")
        }
        let p = "\(path).\(kind)"
        return Step(name: name, kind: try stepKind(kind, body, p), line: line(node))
    }

    func stepKind(_ kind: String, _ body: Node, _ p: String) throws -> Step.Kind {
        switch kind {
        case "start":
            if case .scalar = body, try rawScalar(body, p).isEmpty { return .start(options: [:]) }
            let fields = try mapping(body, p, allowed: ["workers", "memory_limit", "features_impl", "leak_scale", "max_requests",
                                                        "max_requests_jitter", "graceful_timeout"], required: [])
            var options: [String: String] = [:]
            for (key, value) in fields {
                options[key] = try ["workers", "leak_scale", "max_requests", "max_requests_jitter", "graceful_timeout"].contains(key)
                    ? String(int(value, "\(p).\(key)")) : string(value, "\(p).\(key)")
            }
            if let impl = options["features_impl"], !["legacy", "patched"].contains(impl) {
                throw error(fields["features_impl"]!, "\(p).features_impl", "expected legacy or patched, found '\(impl)'")
            }
            return .start(options: options)
        case "seed":
            let fields = try mapping(body, p, allowed: ["models", "rows"], required: [])
            return .seed(models: try fields["models"].map { try int($0, "\(p).models") } ?? 1,
                         rows: try fields["rows"].map { try int($0, "\(p).rows") })
        case "fault":
            let fields = try mapping(body, p, allowed: ["action", "type", "probability", "route", "ttl", "latency_ms", "jitter_ms",
                                                        "status", "burn_ms", "model", "id"], required: ["action"])
            switch try choice(fields["action"]!, "\(p).action", ["set", "clear"]) {
            case "clear":
                try only(fields, ["action", "id"], p)
                return .faultClear(id: try fields["id"].map { try string($0, "\(p).id") })
            default:
                guard fields["type"] != nil else { throw error(body, p, "missing required field 'type'") }
                guard fields["id"] == nil else { throw error(fields["id"]!, "\(p).id", "only for action: clear") }
                var values: [String: Any] = [:]
                for (key, value) in fields where key != "action" {
                    switch key {
                    case "probability": values[key] = try double(value, "\(p).\(key)")
                    case "latency_ms", "jitter_ms", "status", "burn_ms": values[key] = try int(value, "\(p).\(key)")
                    case "ttl": values[key] = try duration(value, "\(p).ttl").description
                    default: values[key] = try string(value, "\(p).\(key)")
                    }
                }
                // The service's own rules (AnalyzerAPI), so a bad fault fails here with its line.
                do {
                    let spec = try FaultSpec.decode(try JSONSerialization.data(withJSONObject: values))
                    try spec.validate()
                    return .faultSet(spec)
                } catch let refused as RequestBodyError {
                    let at = refused.field.flatMap { fields[$0] } ?? body
                    throw error(at, refused.field.map { "\(p).\($0)" } ?? p, refused.message)
                }
            }
        case "load":
            let fields = try mapping(body, p, allowed: ["action", "scenario", "users", "spawn_rate", "run_time", "tags"], required: ["action"])
            if try choice(fields["action"]!, "\(p).action", ["start", "stop"]) == "stop" {
                try only(fields, ["action"], p)
                return .load(.stop)
            }
            guard let scenario = fields["scenario"] else { throw error(body, p, "missing required field 'scenario'") }
            return .load(.start(scenario: try string(scenario, "\(p).scenario"),
                                 users: try fields["users"].map { try int($0, "\(p).users") },
                                 spawnRate: try fields["spawn_rate"].map { try double($0, "\(p).spawn_rate") },
                                 runTime: try fields["run_time"].map { try duration($0, "\(p).run_time") },
                                 tags: try fields["tags"].map { try list($0, "\(p).tags").enumerated().map { try string($1, "\(p).tags[\($0)]") } } ?? []))
        case "expect_alert":
            let fields = try mapping(body, p, allowed: ["name", "state", "within", "notified"], required: ["name", "state", "within"])
            let state = try choice(fields["state"]!, "\(p).state", Step.AlertExpectation.allCases.map(\.rawValue))
            let notified = try fields["notified"].map { try choice($0, "\(p).notified", ["true", "false"]) == "true" } ?? false
            return .expectAlert(alert: try string(fields["name"]!, "\(p).name"), state: Step.AlertExpectation(rawValue: state)!,
                                within: try duration(fields["within"]!, "\(p).within"), notified: notified)
        case "act":
            let fields = try mapping(body, p, allowed: ["action", "workers", "max_requests", "features_impl", "model", "id"], required: ["action"])
            switch try choice(fields["action"]!, "\(p).action", ["scale", "restart", "retrain", "clear_fault", "stop_service"]) {
            case "scale":
                try only(fields, ["action", "workers", "max_requests"], p)
                guard fields["workers"] != nil || fields["max_requests"] != nil else {
                    throw error(body, p, "missing required field 'workers' or 'max_requests'")
                }
                return .act(.scale(workers: try fields["workers"].map { try int($0, "\(p).workers") },
                                   maxRequests: try fields["max_requests"].map { try int($0, "\(p).max_requests") }))
            case "restart":
                try only(fields, ["action", "features_impl"], p)
                let impl = try fields["features_impl"].map {
                    try choice($0, "\(p).features_impl", FeaturesImplementation.allCases.map(\.rawValue))
                }
                return .act(.restart(featuresImpl: impl.flatMap(FeaturesImplementation.init(rawValue:))))
            case "stop_service":
                try only(fields, ["action"], p)
                return .act(.stopService)
            case "retrain":
                try only(fields, ["action", "model"], p)
                return .act(.retrain(model: try fields["model"].map { try string($0, "\(p).model") }))
            default:
                try only(fields, ["action", "id"], p)
                return .act(.clearFault(id: try fields["id"].map { try string($0, "\(p).id") }))
            }
        case "assert":
            let fields = try mapping(body, p, allowed: ["query", "min", "max", "for"], required: ["query", "for"])
            return .assert(query: try string(fields["query"]!, "\(p).query"), tolerance: try tolerance(fields, body, p),
                           holdFor: try duration(fields["for"]!, "\(p).for"))
        default: // wait
            return .wait(try duration(body, p))
        }
    }

    // MARK: primitives

    func line(_ node: Node) -> Int { blockLine + (node.mark?.line ?? 0) }

    func error(_ node: Node, _ path: String, _ message: String) -> DrillError {
        DrillError(file: file, line: line(node), path: path, message: message)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A mapping's string keys; refuses non-mappings, unknown keys (with a suggestion) and missing required keys.
    func mapping(_ node: Node, _ path: String, allowed: [String]?, required: [String],
                 unknownHint: String = "unknown key") throws -> [String: Node] {
        guard case .mapping(let map) = node else {
            throw error(node, path.isEmpty ? "(top level)" : path, "expected a mapping, found \(Self.describe(node))")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in map {
            guard case .scalar(let key) = keyNode else { throw error(keyNode, path, "keys must be plain strings") }
            let keyPath = path.isEmpty ? key.string : "\(path).\(key.string)"
            if let allowed, !allowed.contains(key.string) {
                throw error(keyNode, keyPath, "\(unknownHint) '\(key.string)'\(suggestion(key.string, allowed))")
            }
            guard result[key.string] == nil else { throw error(keyNode, keyPath, "duplicated key") }
            result[key.string] = value
        }
        for key in required where result[key] == nil {
            throw error(node, path.isEmpty ? key : "\(path).\(key)", "missing required field '\(key)'")
        }
        return result
    }

    func only(_ fields: [String: Node], _ allowed: [String], _ path: String) throws {
        let action = fields["action"].flatMap { try? rawScalar($0, path) } ?? ""
        for (key, value) in fields where !allowed.contains(key) {
            throw error(value, "\(path).\(key)", "not allowed with action: \(action) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    func list(_ node: Node, _ path: String) throws -> [Node] {
        guard case .sequence(let seq) = node else { throw error(node, path, "expected a list, found \(Self.describe(node))") }
        return Array(seq)
    }

    /// A scalar's text with `${name}` variables substituted.
    func rawScalar(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, path, "expected a value, found \(Self.describe(node))") }
        var text = scalar.string
        while let open = text.range(of: "${") {
            guard let close = text[open.upperBound...].firstIndex(of: "}") else {
                throw error(node, path, "unterminated '${' in '\(scalar.string)'")
            }
            let name = String(text[open.upperBound..<close])
            guard let value = variables[name] else {
                throw error(node, path, "unknown variable '\(name)'\(suggestion(name, Array(variables.keys)))")
            }
            text.replaceSubrange(open.lowerBound...close, with: value)
        }
        return text
    }

    func string(_ node: Node, _ path: String) throws -> String {
        let text = try rawScalar(node, path)
        guard !text.isEmpty else { throw error(node, path, "must not be empty") }
        return text
    }

    func int(_ node: Node, _ path: String) throws -> Int {
        let text = try rawScalar(node, path)
        guard let value = Int(text) else { throw error(node, path, "expected an integer, found '\(text)'") }
        return value
    }

    func double(_ node: Node, _ path: String) throws -> Double {
        let text = try rawScalar(node, path)
        guard let value = Double(text), value.isFinite else { throw error(node, path, "expected a number, found '\(text)'") }
        return value
    }

    func duration(_ node: Node, _ path: String) throws -> PromDuration {
        let text = try rawScalar(node, path)
        guard let value = PromDuration(text) else {
            throw error(node, path, "bad duration '\(text)' (expected e.g. 30s, 5m, 1h30m, 500ms)")
        }
        return value
    }

    func choice(_ node: Node, _ path: String, _ options: [String]) throws -> String {
        let text = try rawScalar(node, path)
        guard options.contains(text) else {
            throw error(node, path, "expected one of \(options.joined(separator: ", ")), found '\(text)'\(suggestion(text, options))")
        }
        return text
    }

    func suggestion(_ word: String, _ candidates: [String]) -> String {
        Suggestion.hint(for: word, in: candidates)
    }
}
