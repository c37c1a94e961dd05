import Yams

/// The `users:` section: user classes, their waits and tasks.
extension ScenarioParser {
    func userClass(
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
        if cls.tasks.allSatisfy({ $0.weight == 0 }) {
            throw tasksField.error("every task has weight 0: give one a weight above 0")
        }
        return cls
    }

    func wait(_ f: YAMLField) throws(ScenarioError) -> WaitTime {
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
            let (lo, hi) = try v.minMax(unit: " seconds") { f throws(ScenarioError) in try f.duration() }
            return .between(lo, hi)
        case "constant": return .constant(try v.duration())
        case "constant_pacing": return .constantPacing(try v.duration())
        default: return .constantThroughput(try v.double(above: 0))
        }
    }

    func task(
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
}
