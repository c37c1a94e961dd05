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
                           "setup", "users", "thresholds"]
    static let methods = ["get", "post", "put", "patch", "delete", "head", "options"]
    static let requestKeys = ["name", "method", "path", "query", "headers", "json", "text", "content_type", "form",
                              "file", "json_row", "checks", "extract", "timeout", "poll", "follow_redirects"] + methods

    /// Parses the YAML text.
    public func parse(_ yaml: String) throws(ScenarioError) -> LoadPlan {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.convert(error, file: file, text: yaml)
        } catch {
            throw ScenarioError(file: file, line: 0, key: "", message: "cannot read YAML: \(error)")
        }
        guard let node else { throw ScenarioError(file: file, line: 1, key: "", message: "the file is empty") }
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
            if let t = sf["timeout"] { http.timeout = try t.duration() }
            if let t = sf["connect_timeout"] { http.connectTimeout = try t.duration() }
            if let h = sf["headers"] { http.headers = try compiler.named(h) }
            if let i = sf["insecure"] { http.insecure = try i.bool() }
            if let u = sf["user_agent"] { http.userAgent = try u.string() }
        }
        var classes: [UserClassSpec] = []
        let classFields = try usersField.list()
        if classFields.isEmpty { throw usersField.error("needs at least one user class") }
        for (i, c) in classFields.enumerated() {
            classes.append(try userClass(c, index: i, compiler: compiler, feeders: feeders, symbols: symbols))
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
        return plan
    }

    // MARK: Sections

    private func variableKind(_ f: YAMLField) throws(ScenarioError) -> Variable.Kind {
        if f.isScalar {
            if (try? f.string()) == "uuid" { return .uuid }
            return .constant(try f.scalarValue())
        }
        let m = try f.mapping(allowed: ["random_int", "random_float", "choice", "uuid", "sequence", "env", "value"])
        guard m.keys.count == 1, let (kind, v) = m.items.first else {
            throw f.error("a variable needs exactly one of: random_int, random_float, choice, uuid, sequence, env, value")
        }
        switch kind {
        case "random_int":
            let r = try v.list()
            guard r.count == 2 else { throw v.error("expected [min, max]") }
            let lo = try r[0].int(), hi = try r[1].int()
            guard lo <= hi else { throw v.error("min \(lo) is above max \(hi)") }
            return .randomInt(lo, hi)
        case "random_float":
            let r = try v.list()
            guard r.count == 2 else { throw v.error("expected [min, max]") }
            let lo = try r[0].double(), hi = try r[1].double()
            guard lo <= hi else { throw v.error("min is above max") }
            return .randomFloat(lo, hi)
        case "choice":
            let items = try v.list()
            if items.isEmpty { throw v.error("needs at least one value") }
            var values: [TemplateValue] = []
            for item in items { values.append(try item.scalarValue()) }
            return .choice(values)
        case "uuid":
            return .uuid
        case "sequence":
            if v.isMapping {
                let s = try v.mapping(allowed: ["start", "step"])
                return .sequence(start: try s["start"]?.int() ?? 1, step: try s["step"]?.int() ?? 1)
            }
            return .sequence(start: try v.int(), step: 1)
        case "env":
            if v.isMapping {
                let e = try v.mapping(allowed: ["name", "default"])
                guard let n = e["name"] else { throw v.error("missing 'name'") }
                let name = try n.string()
                let fallback = try e["default"].map { d throws(ScenarioError) in try d.string() }
                guard let value = environment[name] ?? fallback else {
                    throw n.error("environment variable \(name) is not set and has no default")
                }
                return .env(name: name, value: value)
            }
            let name = try v.string()
            guard let value = environment[name] else {
                throw v.error("environment variable \(name) is not set (add `default:`)")
            }
            return .env(name: name, value: value)
        default:
            return .constant(try v.scalarValue())
        }
    }

    private func feeder(_ name: String, _ f: YAMLField) throws(ScenarioError) -> Feeder {
        var fileField = f
        var mode = Feeder.Mode.sequential
        if f.isMapping {
            let m = try f.mapping(allowed: ["file", "mode"])
            guard let file = m["file"] else { throw f.error("missing 'file'") }
            fileField = file
            if let md = m["mode"] {
                let text = try md.string()
                guard let parsed = Feeder.Mode(rawValue: text) else {
                    throw md.error("unknown mode '\(text)'; expected sequential, random or unique")
                }
                mode = parsed
            }
        }
        let path = try fileField.string()
        let text = try readText(path, fileField)
        do {
            return try Feeder(name: name, csv: text, mode: mode)
        } catch {
            throw fileField.error("\(path) line \(error.line): \(error.message)")
        }
    }

    private func readText(_ path: String, _ f: YAMLField) throws(ScenarioError) -> String {
        let url = resolve(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw f.error("file not found: \(path) (looked in \(url.path))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw f.error("\(path) is not UTF-8 text") }
        return text
    }

    private func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
    }

    private func userClass(
        _ f: YAMLField, index: Int, compiler: TemplateCompiler, feeders: [Feeder], symbols: Symbols
    ) throws(ScenarioError) -> UserClassSpec {
        let m = try f.mapping(allowed: ["name", "weight", "fixed_count", "wait", "on_start", "tasks"])
        let name = try m["name"]?.string() ?? "User\(index + 1)"
        var cls = UserClassSpec(name: name, tasks: [])
        if let w = m["weight"] { cls.weight = try w.int(min: 0) }
        if let c = m["fixed_count"] { cls.fixedCount = try c.int(min: 0) }
        if let w = m["wait"] { cls.wait = try wait(w) }
        if let s = m["on_start"] {
            for r in try s.list() { cls.onStart.append(try request(r, compiler: compiler, feeders: feeders)) }
        }
        guard let tasksField = m["tasks"] else { throw f.error("missing 'tasks'") }
        let tasks = try tasksField.list()
        if tasks.isEmpty { throw tasksField.error("needs at least one task") }
        for (i, t) in tasks.enumerated() {
            cls.tasks.append(try task(t, index: i, compiler: compiler, feeders: feeders))
        }
        return cls
    }

    private func wait(_ f: YAMLField) throws(ScenarioError) -> WaitTime {
        if f.isScalar {
            if (try? f.string()) == "none" { return .none }
            return .constant(try f.duration())
        }
        let m = try f.mapping(allowed: ["between", "constant", "constant_pacing", "constant_throughput"])
        guard m.keys.count == 1, let (kind, v) = m.items.first else {
            throw f.error("use exactly one of: between, constant, constant_pacing, constant_throughput")
        }
        switch kind {
        case "between":
            let r = try v.list()
            guard r.count == 2 else { throw v.error("expected [min, max] seconds") }
            let lo = try r[0].duration(), hi = try r[1].duration()
            guard lo <= hi else { throw v.error("min is above max") }
            return .between(lo, hi)
        case "constant": return .constant(try v.duration())
        case "constant_pacing": return .constantPacing(try v.duration())
        default: return .constantThroughput(try v.double(above: 0))
        }
    }

    private func task(
        _ f: YAMLField, index: Int, compiler: TemplateCompiler, feeders: [Feeder]
    ) throws(ScenarioError) -> TaskSpec {
        let keys = try f.mapping().keys
        if !keys.contains("requests") {
            // A single request written as a task, with optional weight/tags.
            let taskKeys = ["weight", "tags"]
            var weight = 1
            var tags: [String] = []
            let m = try f.mapping(allowed: Self.requestKeys + taskKeys)
            if let w = m["weight"] { weight = try w.int(min: 0) }
            if let t = m["tags"] { tags = try stringList(t) }
            let r = try request(f, compiler: compiler, feeders: feeders, ignoring: taskKeys)
            return TaskSpec(name: r.name, weight: weight, tags: tags, requests: [r])
        }
        let m = try f.mapping(allowed: ["name", "weight", "tags", "requests"])
        var requests: [RequestSpec] = []
        let list = try m["requests"]!.list()
        if list.isEmpty { throw m["requests"]!.error("needs at least one request") }
        for r in list { requests.append(try request(r, compiler: compiler, feeders: feeders)) }
        return TaskSpec(
            name: try m["name"]?.string() ?? "task\(index + 1)", weight: try m["weight"]?.int(min: 0) ?? 1,
            tags: try m["tags"].map { t throws(ScenarioError) in try stringList(t) } ?? [], requests: requests)
    }

    private func stringList(_ f: YAMLField) throws(ScenarioError) -> [String] {
        var out: [String] = []
        for item in f.listOrSingle() { out.append(try item.string()) }
        return out
    }

    private func request(
        _ f: YAMLField, compiler: TemplateCompiler, feeders: [Feeder], ignoring: [String] = []
    ) throws(ScenarioError) -> RequestSpec {
        let m = try f.mapping(allowed: Self.requestKeys + ignoring)
        var method = "GET"
        var pathField: YAMLField?
        for key in Self.methods {
            if let p = m[key] {
                if pathField != nil { throw p.error("give one method key per request") }
                method = key.uppercased()
                pathField = p
            }
        }
        if let p = m["path"] {
            if pathField != nil { throw p.error("use either 'path' or a method key such as 'get', not both") }
            pathField = p
        }
        if let mf = m["method"] {
            if m.keys.contains(where: Self.methods.contains) { throw mf.error("the method is already given by its key") }
            method = try mf.string().uppercased()
            guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else { throw mf.error("bad method '\(method)'") }
        }
        guard let pathField else { throw f.error("missing 'path' (or a method key such as 'get: /path')") }
        let pathText = try pathField.string()
        let path = try compiler.template(pathField)
        let defaultName = pathText.split(separator: "?", maxSplits: 1).first.map(String.init) ?? pathText
        var spec = RequestSpec(name: try m["name"]?.string() ?? defaultName, method: method, path: path)
        if let q = m["query"] { spec.query = try compiler.named(q) }
        if let h = m["headers"] { spec.headers = try compiler.named(h) }
        spec.body = try body(m, compiler: compiler, feeders: feeders)
        if let c = m["checks"] { spec.checks = try checks(c) }
        if let e = m["extract"] {
            for (name, pf) in try e.mapping() {
                guard let slot = compiler.symbols.userVariables[name] else {
                    throw pf.error("'\(name)' is already a generated variable")
                }
                spec.extract.append(Extraction(variable: slot, path: try jsonPath(pf)))
            }
        }
        if let t = m["timeout"] { spec.timeout = try t.duration() }
        if let p = m["poll"] { spec.poll = try poll(p) }
        if let r = m["follow_redirects"] { spec.followRedirects = try r.bool() }
        return spec
    }

    private func body(_ m: OrderedFields, compiler: TemplateCompiler, feeders: [Feeder]) throws(ScenarioError) -> BodySpec {
        let kinds = ["json", "text", "form", "file", "json_row"].filter { m[$0] != nil }
        if kinds.count > 1 { throw m[kinds[1]]!.error("a request has one body; also given: \(kinds[0])") }
        if let ct = m["content_type"], kinds.isEmpty { throw ct.error("content_type needs a body (text, file…)") }
        let contentType = try m["content_type"]?.string()
        guard let kind = kinds.first, let f = m[kind] else { return .none }
        switch kind {
        case "json":
            return .json(try compiler.json(f))
        case "text":
            return .text(try compiler.template(f), contentType: contentType ?? "text/plain; charset=utf-8")
        case "form":
            return .form(try compiler.named(f))
        case "file":
            var pathField = f
            var type = contentType
            var field: String?
            var filename: String?
            if f.isMapping {
                let fm = try f.mapping(allowed: ["path", "content_type", "field", "filename"])
                guard let p = fm["path"] else { throw f.error("missing 'path'") }
                pathField = p
                type = try fm["content_type"]?.string() ?? type
                field = try fm["field"]?.string()
                filename = try fm["filename"]?.string()
            }
            let path = try pathField.string()
            let url = resolve(path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw pathField.error("file not found: \(path) (looked in \(url.path))")
            }
            let guessed = Self.contentType(forExtension: url.pathExtension)
            if let field {
                return .multipart(field: field, filename: filename ?? url.lastPathComponent, bytes: Array(data),
                                  contentType: type ?? guessed)
            }
            return .bytes(Array(data), contentType: type ?? guessed)
        default:
            let jm = try f.mapping(allowed: ["feeder", "exclude", "include", "count"])
            guard let ff = jm["feeder"] else { throw f.error("missing 'feeder'") }
            let name = try ff.string()
            guard let index = compiler.symbols.feeders[name] else {
                throw ff.error("unknown feeder '\(name)'; declared: \(compiler.symbols.feeders.keys.sorted().joined(separator: ", "))")
            }
            let feeder = feeders[index]
            func columns(_ field: YAMLField) throws(ScenarioError) -> [Int] {
                var out: [Int] = []
                for item in field.listOrSingle() {
                    let c = try item.string()
                    guard let i = feeder.columnIndex(c) else {
                        throw item.error("feeder '\(name)' has no column '\(c)'; columns: \(feeder.columns.joined(separator: ", "))")
                    }
                    out.append(i)
                }
                return out
            }
            var selected = Array(feeder.columns.indices)
            if let inc = jm["include"] { selected = try columns(inc) }
            if let exc = jm["exclude"] {
                let drop = try columns(exc)
                selected.removeAll { drop.contains($0) }
            }
            let count = try jm["count"]?.int(min: 1)
            return .feederRow(feeder: index, columns: selected, count: count)
        }
    }

    static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "txt": return "text/plain"
        case "xml": return "application/xml"
        case "html": return "text/html"
        default: return "application/octet-stream"
        }
    }

    private func checks(_ f: YAMLField) throws(ScenarioError) -> Checks {
        let m = try f.mapping(allowed: ["status", "json", "body_contains"])
        var checks = Checks()
        if let s = m["status"] {
            var matchers: [StatusMatcher] = []
            for item in s.listOrSingle() {
                let text = try item.string().lowercased()
                if let code = Int(text), (100...599).contains(code) {
                    matchers.append(.code(code))
                } else if text.count == 3, text.hasSuffix("xx"), let d = Int(text.prefix(1)), (1...5).contains(d) {
                    matchers.append(.range(d * 100...d * 100 + 99))
                } else {
                    throw item.error("bad status '\(text)' (use e.g. 200 or 2xx)")
                }
            }
            checks.status = matchers
        }
        if let j = m["json"] {
            for item in j.listOrSingle() { checks.json.append(try jsonCheck(item)) }
        }
        if let b = m["body_contains"] {
            checks.bodyContains = try stringList(b)
        }
        return checks
    }

    private func jsonCheck(_ f: YAMLField) throws(ScenarioError) -> JSONCheck {
        let m = try f.mapping(allowed: ["path", "exists", "equals"])
        guard let p = m["path"] else { throw f.error("missing 'path'") }
        let path = try jsonPath(p)
        if m["exists"] != nil && m["equals"] != nil { throw f.error("use either 'exists' or 'equals'") }
        if let e = m["equals"] {
            let value: TemplateValue = e.isScalar ? try e.scalarValue() : .json(try Self.jsonText(e))
            return JSONCheck(path: path, expectation: .equals(value))
        }
        return JSONCheck(path: path, expectation: .exists(try m["exists"]?.bool() ?? true))
    }

    private static func jsonText(_ f: YAMLField) throws(ScenarioError) -> String {
        switch f.node {
        case .mapping:
            var parts: [String] = []
            for (k, v) in try f.mapping() { parts.append(JSONEscaping.quoted(k) + ":" + (try jsonText(v))) }
            return "{" + parts.joined(separator: ",") + "}"
        case .sequence:
            var parts: [String] = []
            for item in try f.list() { parts.append(try jsonText(item)) }
            return "[" + parts.joined(separator: ",") + "]"
        default:
            return try f.scalarValue().jsonText
        }
    }

    private func jsonPath(_ f: YAMLField) throws(ScenarioError) -> JSONPath {
        let text = try f.string()
        do {
            return try JSONPath(text)
        } catch {
            throw f.error(error.message)
        }
    }

    private func poll(_ f: YAMLField) throws(ScenarioError) -> PollSpec {
        let m = try f.mapping(allowed: ["until", "interval", "max_attempts"])
        guard let u = m["until"] else { throw f.error("missing 'until'") }
        var until: [JSONCheck] = []
        for item in u.listOrSingle() { until.append(try jsonCheck(item)) }
        return PollSpec(
            until: until, interval: try m["interval"]?.duration() ?? 1, maxAttempts: try m["max_attempts"]?.int(min: 1) ?? 30)
    }

    private func loadProfile(_ f: YAMLField) throws(ScenarioError) -> LoadProfile {
        let all = ["executor", "users", "spawn_rate", "run_time", "stages", "rate", "time_unit", "duration",
                   "pre_allocated_users", "max_users", "start_rate"]
        let probe = try f.mapping(allowed: all)
        var executor = try probe["executor"]?.string()
        if executor == nil {
            if probe["rate"] != nil {
                executor = "constant_arrival_rate"
            } else if probe["start_rate"] != nil {
                executor = "ramping_arrival_rate"
            } else if probe["stages"] != nil {
                executor = "stages"
            } else {
                executor = "users"
            }
        }
        switch executor {
        case "users":
            let m = try f.mapping(allowed: ["executor", "users", "spawn_rate", "run_time"])
            return .closed(
                users: try m["users"]?.int(min: 0) ?? 1, spawnRate: try m["spawn_rate"]?.double(above: 0) ?? 1,
                runTime: try m["run_time"].map { r throws(ScenarioError) in try r.duration() })
        case "stages":
            let m = try f.mapping(allowed: ["executor", "stages"])
            guard let s = m["stages"] else { throw f.error("missing 'stages'") }
            var stages: [LoadProfile.Stage] = []
            for item in try s.list() {
                let sm = try item.mapping(allowed: ["duration", "users", "spawn_rate"])
                guard let d = sm["duration"], let u = sm["users"] else {
                    throw item.error("a stage needs 'duration' and 'users'")
                }
                stages.append(LoadProfile.Stage(
                    duration: try d.duration(), users: try u.int(min: 0),
                    spawnRate: try sm["spawn_rate"]?.double(above: 0)))
            }
            if stages.isEmpty { throw s.error("needs at least one stage") }
            return .stages(stages)
        case "constant_arrival_rate":
            let m = try f.mapping(allowed: ["executor", "rate", "time_unit", "duration", "pre_allocated_users", "max_users"])
            guard let r = m["rate"], let d = m["duration"] else { throw f.error("needs 'rate' and 'duration'") }
            let unit = try m["time_unit"]?.duration() ?? 1
            if unit <= 0 { throw m["time_unit"]!.error("must be above 0") }
            let rate = try r.double(above: 0) / unit
            let (pre, maxUsers) = try arrivalUsers(m, rate: rate)
            return .constantArrival(rate: rate, duration: try d.duration(), preAllocatedUsers: pre, maxUsers: maxUsers)
        case "ramping_arrival_rate":
            let m = try f.mapping(allowed: ["executor", "start_rate", "time_unit", "stages", "pre_allocated_users", "max_users"])
            let unit = try m["time_unit"]?.duration() ?? 1
            if unit <= 0 { throw m["time_unit"]!.error("must be above 0") }
            guard let s = m["stages"] else { throw f.error("missing 'stages'") }
            var stages: [LoadProfile.RateStage] = []
            for item in try s.list() {
                let sm = try item.mapping(allowed: ["duration", "target"])
                guard let d = sm["duration"], let t = sm["target"] else {
                    throw item.error("a stage needs 'duration' and 'target'")
                }
                stages.append(LoadProfile.RateStage(duration: try d.duration(), target: try t.double(min: 0) / unit))
            }
            if stages.isEmpty { throw s.error("needs at least one stage") }
            let start = try m["start_rate"]?.double(min: 0) ?? 0
            let peak = max(start / unit, stages.map(\.target).max() ?? 0)
            let (pre, maxUsers) = try arrivalUsers(m, rate: peak)
            return .rampingArrival(startRate: start / unit, stages: stages, preAllocatedUsers: pre, maxUsers: maxUsers)
        default:
            throw probe["executor"]!.error(
                "unknown executor '\(executor ?? "")'; expected users, stages, constant_arrival_rate or ramping_arrival_rate")
        }
    }

    private func arrivalUsers(_ m: OrderedFields, rate: Double) throws(ScenarioError) -> (Int, Int) {
        let maxUsers = try m["max_users"]?.int(min: 1) ?? max(10, Int((rate * 10).rounded(.up)))
        let pre = try m["pre_allocated_users"]?.int(min: 0) ?? min(maxUsers, max(1, Int(rate.rounded(.up))))
        if pre > maxUsers { throw m["pre_allocated_users"]!.error("is above max_users (\(maxUsers))") }
        return (pre, maxUsers)
    }

    private func threshold(_ f: YAMLField) throws(ScenarioError) -> Threshold {
        var exprField = f
        var name: String?
        var abort = false
        var delay = 0.0
        if f.isMapping {
            let m = try f.mapping(allowed: ["expr", "name", "abort_on_fail", "delay"])
            guard let e = m["expr"] else { throw f.error("missing 'expr'") }
            exprField = e
            name = try m["name"]?.string()
            abort = try m["abort_on_fail"]?.bool() ?? false
            delay = try m["delay"]?.duration() ?? 0
        }
        let text = try exprField.string()
        do {
            return try Threshold(text, name: name, abortOnFail: abort, delay: delay)
        } catch {
            throw exprField.error("bad threshold expression \"\(error.expression)\": \(error.message)")
        }
    }

    // MARK: Helpers

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

    static func convert(_ error: YamlError, file: String, text: String) -> ScenarioError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            // The error marks the mapping; point at the second occurrence of the key after it.
            var line = context.mark.line
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var seen = 0
            for (i, l) in lines.enumerated() where i + 1 >= context.mark.line {
                var t = l.drop { $0 == " " || $0 == "-" }
                if t.hasPrefix("\"") || t.hasPrefix("'") { t = t.dropFirst() }
                if t.hasPrefix(key + ":") || t.hasPrefix(key + "\":") || t.hasPrefix(key + "':") {
                    seen += 1
                    if seen == 2 {
                        line = i + 1
                        break
                    }
                }
            }
            return ScenarioError(file: file, line: line, key: key, message: "duplicate key '\(key)'")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
            return ScenarioError(file: file, line: mark.line, column: mark.column, key: "", message: "YAML syntax error: \(text)")
        default:
            return ScenarioError(file: file, line: 0, key: "", message: "YAML error: \(error)")
        }
    }
}
