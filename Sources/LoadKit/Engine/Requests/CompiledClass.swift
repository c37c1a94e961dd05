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
