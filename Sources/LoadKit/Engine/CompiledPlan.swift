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
    /// No checks, extraction or polling: success is simply a status below 400.
    let plain: Bool
    /// The response body must be parsed as JSON.
    let needsDocument: Bool

    init(id: Int, stat: Int, spec: RequestSpec, base: TargetURL, settings: HTTPSettings, captureLimit: Int) {
        self.id = id
        self.stat = stat
        self.spec = spec
        timeoutSeconds = spec.timeout ?? settings.timeout
        timeoutNanos = UInt64(max(timeoutSeconds, 0.001) * 1e9)
        self.captureLimit = spec.needsBody ? captureLimit : 0
        isHead = spec.method == "HEAD"
        needsDocument = !spec.extract.isEmpty || spec.poll != nil || !spec.checks.json.isEmpty
        plain = spec.checks.status == nil && spec.checks.bodyContains.isEmpty && !needsDocument
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
    /// Set when a user of this class just repeats one static request with no wait and no `on_start`:
    /// the engine then re-sends it straight from the response callback.
    let repeatOnly: CompiledRequest?

    init(index: Int, spec: UserClassSpec, onStart: [CompiledRequest], tasks: [CompiledTask]) {
        self.index = index
        self.spec = spec
        self.onStart = onStart
        self.tasks = tasks
        if onStart.isEmpty, tasks.count == 1, tasks[0].requests.count == 1, let r = tasks[0].requests.first,
           r.staticBytes != nil, r.plain, !r.isHead, spec.wait == .none || spec.wait == .constant(0) {
            repeatOnly = r
        } else {
            repeatOnly = nil
        }
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
    /// The `setup` requests as a user class of their own (nil when there are none).
    let setupClass: CompiledClass?
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
        if plan.setup.isEmpty {
            setupClass = nil
        } else {
            let setup = plan.setup.map(compile)
            let spec = UserClassSpec(name: "setup", tasks: [TaskSpec(name: "setup", requests: plan.setup)])
            setupClass = CompiledClass(index: -1, spec: spec, onStart: setup, tasks: [CompiledTask(name: "setup", requests: setup)])
        }
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
