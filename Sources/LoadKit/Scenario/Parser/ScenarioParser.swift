import Foundation
import Yams

/// Parses scenario YAML into a ``LoadPlan``, refusing anything invalid with `file:line` and the key at fault.
public struct ScenarioParser {
    /// Name used in error messages.
    public var file: String
    /// Directory that feeder and body files are relative to.
    public var baseDirectory: URL
    /// Environment for `env` variables.
    public var environment: [String: String]

    /// Creates a parser.
    public init(file: String, baseDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.environment = environment
    }

    static let rootKeys = ["name", "description", "host", "settings", "load", "stop_timeout", "variables", "feeders",
                           "setup", "setup_timeout", "users", "thresholds"]
    static let methods = ["get", "post", "put", "patch", "delete", "head", "options"]
    static let requestKeys = ["name", "method", "path", "query", "headers", "json", "text", "content_type", "form",
                              "file", "json_row", "checks", "extract", "timeout", "poll", "follow_redirects"] + methods

    /// Parses the YAML text.
    public func parse(_ yaml: String) throws(ScenarioError) -> LoadPlan {
        try checkSize(yaml.utf8.count)
        let node: Node?
        // The parser holds the anchors (nodes keep them weakly), which the alias-expansion check needs.
        let yamlParser: Yams.Parser
        do {
            yamlParser = try Yams.Parser(yaml: yaml)
            node = try yamlParser.singleRoot()
        } catch let error as YamlError {
            throw Self.convert(error, file: file, text: yaml)
        } catch {
            throw ScenarioError(file: file, line: 0, key: "", message: "cannot read YAML: \(error)")
        }
        guard let node else { throw ScenarioError(file: file, line: 1, key: "", message: "the file is empty") }
        try checkExpansion(node)
        withExtendedLifetime(yamlParser) {}
        let root = YAMLField(node: node, key: "", file: file)
        let fields = try root.mapping(allowed: Self.rootKeys)

        var symbols = Symbols()
        var variables: [Variable] = []
        if let v = fields["variables"] {
            for (name, field) in try v.mapping() {
                try Self.checkName(name, field)
                symbols.variables[name] = variables.count
                variables.append(Variable(name: name, kind: try variableKind(field)))
            }
        }
        var feeders: [Feeder] = []
        if let f = fields["feeders"] {
            for (name, field) in try f.mapping() {
                try Self.checkName(name, field)
                if symbols.variables[name] != nil { throw field.error("'\(name)' is already a variable") }
                symbols.feeders[name] = feeders.count
                feeders.append(try feeder(name, field))
            }
        }
        symbols.feederList = feeders
        guard let usersField = fields["users"] else {
            throw root.error("missing 'users': the scenario needs at least one user class")
        }
        // Names set by `extract` anywhere may be used by any request.
        let extractSources = [usersField.node] + (fields["setup"].map { [$0.node] } ?? [])
        for name in extractSources.flatMap(Self.extractNames) where symbols.variables[name] == nil {
            if symbols.userVariables[name] == nil {
                symbols.userVariables[name] = symbols.userVariableNames.count
                symbols.userVariableNames.append(name)
            }
        }
        let compiler = TemplateCompiler(symbols: symbols)

        var http = HTTPSettings()
        if let s = fields["settings"] {
            let sf = try s.mapping(allowed: ["timeout", "connect_timeout", "headers", "insecure", "user_agent"])
            if let t = sf["timeout"] { http.timeout = try t.positiveDuration() }
            if let t = sf["connect_timeout"] { http.connectTimeout = try t.positiveDuration() }
            if let h = sf["headers"] { http.headers = try compiler.headers(h) }
            if let i = sf["insecure"] { http.insecure = try i.bool() }
            if let u = sf["user_agent"] { http.userAgent = try u.string() }
        }
        var classes: [UserClassSpec] = []
        let classFields = try usersField.list()
        if classFields.isEmpty { throw usersField.error("needs at least one user class") }
        for (i, c) in classFields.enumerated() {
            classes.append(try userClass(c, index: i, compiler: compiler, feeders: feeders, symbols: symbols))
        }
        if classes.allSatisfy({ ($0.fixedCount ?? $0.weight) == 0 }) {
            throw usersField.error("every user class has weight 0 (or fixed_count 0): no user would run")
        }
        var setup: [RequestSpec] = []
        if let s = fields["setup"] {
            for r in try s.list() { setup.append(try request(r, compiler: compiler, feeders: feeders)) }
        }
        var host = ""
        if let h = fields["host"] {
            host = try h.string()
            guard TargetURL(host) != nil else { throw h.error("'\(host)' is not an http:// or https:// URL") }
        }
        let load = try fields["load"].map { f throws(ScenarioError) in try loadProfile(f) }
            ?? .closed(users: 1, spawnRate: 1, runTime: nil)
        var thresholds: [Threshold] = []
        if let t = fields["thresholds"] {
            for item in try t.list() { thresholds.append(try threshold(item)) }
        }
        let stopTimeout = try fields["stop_timeout"].map { f throws(ScenarioError) in try f.duration() } ?? 0
        var plan = LoadPlan(
            host: host, userClasses: classes, load: load, variables: variables, feeders: feeders,
            userVariables: symbols.userVariableNames, thresholds: thresholds, stopTimeout: stopTimeout, http: http)
        plan.setup = setup
        if let t = fields["setup_timeout"] { plan.setupTimeout = try t.positiveDuration() }
        return plan
    }

    // MARK: Helpers

    func readText(_ path: String, _ f: YAMLField) throws(ScenarioError) -> String {
        let url = resolve(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw f.error("file not found: \(path) (looked in \(url.path))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw f.error("\(path) is not UTF-8 text") }
        return text
    }

    func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
    }

    func stringList(_ f: YAMLField) throws(ScenarioError) -> [String] {
        var out: [String] = []
        for item in f.listOrSingle() { out.append(try item.string()) }
        return out
    }

    static func checkName(_ name: String, _ f: YAMLField) throws(ScenarioError) {
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw f.error("'\(name)' is not a valid name (letters, digits, '_' or '-')")
        }
        if ["user_id", "iteration"].contains(name) { throw f.error("'\(name)' is a built-in name") }
    }

    /// Every variable name set by an `extract:` mapping below `node`.
    static func extractNames(_ node: Node) -> [String] {
        var out: [String] = []
        func walk(_ n: Node) {
            switch n {
            case .mapping(let m):
                for (k, v) in m {
                    if k.string == "extract", case .mapping(let e) = v {
                        for (name, _) in e { if let s = name.string, !out.contains(s) { out.append(s) } }
                    } else {
                        walk(v)
                    }
                }
            case .sequence(let s):
                for item in s { walk(item) }
            default:
                break
            }
        }
        walk(node)
        return out
    }
}
