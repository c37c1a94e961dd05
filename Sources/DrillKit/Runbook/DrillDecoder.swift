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
    /// Runtime variables defined by the steps decoded so far (an `http` step's `extract`, a created
    /// proxy's `proxy.NAME.listen`): later steps may name them in their `StepText` fields.
    var runtimeNames: Set<String> = []
    /// Programs named by the `start` steps decoded so far (what a `signal` step may name).
    var processNames: [String] = []

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
        let method = try steps(keys["method"]!, "method")
        guard !method.isEmpty else { throw error(keys["method"]!, "method", "needs at least one step") }
        let rollbacks = try keys["rollbacks"].map { try steps($0, "rollbacks") } ?? []
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

    static let stepKinds = ["start", "seed", "fault", "load", "expect_alert", "act", "assert", "wait", "proxy", "http", "exec", "signal", "diagnose"]

    /// A list of steps, in order: each may use the runtime variables and programs of those before it.
    mutating func steps(_ node: Node, _ path: String) throws -> [Step] {
        var result: [Step] = []
        for (index, item) in try list(node, path).enumerated() {
            let step = try step(item, "\(path)[\(index)]")
            switch step.kind {
            case .http(let http): runtimeNames.formUnion(http.extract.keys)
            case .proxy(.create(let name, _, _, _)): runtimeNames.insert("proxy.\(name).listen")
            case .process(let process): processNames.append(process.name)
            default: break
            }
            result.append(step)
        }
        return result
    }

    func step(_ node: Node, _ path: String) throws -> Step {
        let keys = try mapping(node, path, allowed: ["name"] + Self.stepKinds, required: [], unknownHint: "unknown step kind")
        let name = try keys["name"].map { try string($0, "\(path).name") }
        let kinds = Self.stepKinds.filter { keys[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let body = keys[kind] else {
            throw error(node, path, kinds.isEmpty ? "a step needs one kind: \(Self.stepKinds.joined(separator: ", "))"
                                                  : "a step has exactly one kind, found \(kinds.joined(separator: ", "))")
        }
        let p = "\(path).\(kind)"
        let decoded: Step.Kind = switch kind {
        case "proxy": .proxy(try proxy(body, p))
        case "http": .http(try http(body, p))
        case "exec": .exec(try exec(body, p))
        case "signal": .signal(try signal(body, p))
        case "start" where isGenericStart(body): .process(try process(body, p))
        default: try stepKind(kind, body, p)
        }
        return Step(name: name, kind: decoded, line: line(node))
    }
}
