import NIOCore

/// A request ready to run: ids for statistics, pre-built bytes when nothing in it varies.
final class CompiledRequest: Sendable {
    let id: Int
    let stat: Int
    let spec: RequestSpec
    let staticURL: TargetURL?
    let staticBytes: ByteBuffer?
    let timeoutNanos: UInt64
    let timeoutSeconds: Double
    let captureLimit: Int
    let isHead: Bool

    init(id: Int, stat: Int, spec: RequestSpec, base: TargetURL, settings: HTTPSettings, captureLimit: Int) {
        self.id = id
        self.stat = stat
        self.spec = spec
        timeoutSeconds = spec.timeout ?? settings.timeout
        timeoutNanos = UInt64(max(timeoutSeconds, 0.001) * 1e9)
        self.captureLimit = spec.needsBody ? captureLimit : 0
        isHead = spec.method == "HEAD"
        let isStatic = spec.path.isStatic && spec.query.allSatisfy { $0.value.isStatic }
            && spec.headers.allSatisfy { $0.value.isStatic } && settings.headers.allSatisfy { $0.value.isStatic }
            && spec.body.isStatic
        if isStatic, let built = try? RequestBuilder.build(
            spec, base: base, settings: settings, ctx: StaticContext(), allocator: ByteBufferAllocator()) {
            staticURL = built.0
            staticBytes = built.1
        } else {
            staticURL = nil
            staticBytes = nil
        }
    }
}

/// A task ready to run.
final class CompiledTask: Sendable {
    let name: String
    let requests: [CompiledRequest]

    init(name: String, requests: [CompiledRequest]) {
        self.name = name
        self.requests = requests
    }
}

/// A user class ready to run.
final class CompiledClass: Sendable {
    let index: Int
    let spec: UserClassSpec
    let onStart: [CompiledRequest]
    let tasks: [CompiledTask]
    private let cumulativeWeights: [Int]

    init(index: Int, spec: UserClassSpec, onStart: [CompiledRequest], tasks: [CompiledTask]) {
        self.index = index
        self.spec = spec
        self.onStart = onStart
        self.tasks = tasks
        var sum = 0
        cumulativeWeights = spec.tasks.map { sum += max($0.weight, 0); return sum }
    }

    /// Picks a task by weight.
    @inline(__always)
    func pickTask(using rng: inout FastRandom) -> CompiledTask {
        if tasks.count == 1 { return tasks[0] }
        let total = cumulativeWeights.last ?? 0
        guard total > 0 else { return tasks[Int(rng.next() % UInt64(tasks.count))] }
        let r = Int(rng.next() % UInt64(total))
        for (i, w) in cumulativeWeights.enumerated() where r < w { return tasks[i] }
        return tasks[tasks.count - 1]
    }
}

/// The plan compiled for the engine; shared read-only by all event loops.
final class CompiledPlan: Sendable {
    let plan: LoadPlan
    let base: TargetURL
    let classes: [CompiledClass]
    let requests: [CompiledRequest]
    let statKeys: [StatKey]

    init(plan: LoadPlan, captureLimit: Int) throws(PlanError) {
        guard let base = TargetURL(plan.host) else {
            throw PlanError(message: "host \"\(plan.host)\" is not an http(s) URL")
        }
        guard !plan.userClasses.isEmpty else { throw PlanError(message: "the plan has no user classes") }
        self.plan = plan
        self.base = base
        var keys: [StatKey] = []
        var keyIndex: [StatKey: Int] = [:]
        var all: [CompiledRequest] = []
        func compile(_ spec: RequestSpec) -> CompiledRequest {
            let key = StatKey(method: spec.method, name: spec.name)
            let stat: Int
            if let s = keyIndex[key] {
                stat = s
            } else {
                stat = keys.count
                keys.append(key)
                keyIndex[key] = stat
            }
            let r = CompiledRequest(
                id: all.count, stat: stat, spec: spec, base: base, settings: plan.http, captureLimit: captureLimit)
            all.append(r)
            return r
        }
        var classes: [CompiledClass] = []
        for (i, cls) in plan.userClasses.enumerated() {
            guard !cls.tasks.isEmpty else { throw PlanError(message: "user class '\(cls.name)' has no tasks") }
            let onStart = cls.onStart.map(compile)
            let tasks = cls.tasks.map { CompiledTask(name: $0.name, requests: $0.requests.map(compile)) }
            for t in tasks where t.requests.isEmpty {
                throw PlanError(message: "task '\(t.name)' of user class '\(cls.name)' has no requests")
            }
            classes.append(CompiledClass(index: i, spec: cls, onStart: onStart, tasks: tasks))
        }
        self.classes = classes
        self.requests = all
        self.statKeys = keys
    }

    /// Every origin the plan can reach without templates (the host and static absolute URLs).
    var origins: [Origin] {
        var out = [base.origin]
        for r in requests {
            if let u = r.staticURL, !out.contains(u.origin) { out.append(u.origin) }
        }
        return out
    }
}

/// A context for static requests: any reference is an error (never reached for static templates).
private struct StaticContext: TemplateContext {
    var feeders: [Feeder] { [] }
    func value(of ref: ValueRef) throws(RenderError) -> TemplateValue { throw .unsetVariable("?") }
    func row(of feeder: Int) throws(RenderError) -> Int { throw .feederExhausted("?") }
}
