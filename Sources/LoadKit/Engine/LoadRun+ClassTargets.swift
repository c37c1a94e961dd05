/// Users set per class by name (a Locust master's `spawn` message says how many of each class).
extension LoadRun {
    /// Moves to `counts[class name]` users of each class at `spawnRate` per second (closed model);
    /// classes not named get none. Names must be the plan's class names (``LoadPlan/userClasses``).
    public func setUsers(byClass counts: [String: Int], spawnRate: Double) {
        guard !isFinished else { return }
        let targets = plan.userClasses.map { max(0, counts[$0.name] ?? 0) }
        control.execute { [self] in
            guard phase == .spawning || phase == .running, !plan.load.isOpen else { return }
            let total = targets.reduce(0, +)
            if total > userLimit {
                options.logger.warning("users capped", metadata: ["asked": "\(total)", "limit": "\(userLimit)"])
            }
            // A class over its target stops its extra users at once (as a Locust worker does); the
            // ramp then only starts users, even when the total shrinks while another class grows.
            for i in targets.indices where live[i].count > targets[i] {
                for _ in 0..<(live[i].count - targets[i]) {
                    guard let h = live[i].popLast() else { break }
                    h.ctx.loop.execute { h.user.stop() }
                }
            }
            updateUserCount()
            classTargets = targets
            retarget(users: min(total, userLimit), rate: spawnRate)
        }
    }

    /// The index with the largest positive gap (nil when none is positive).
    static func widestGap(_ gaps: [Int]) -> Int? {
        var best: Int?
        var bestGap = 0
        for (i, g) in gaps.enumerated() where g > bestGap {
            best = i
            bestGap = g
        }
        return best
    }
}
