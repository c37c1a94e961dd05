import NIOCore

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
