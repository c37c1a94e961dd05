/// k6-style execution segments: the share of a load that one of N processes runs, so that N
/// processes together run the whole of it.
extension LoadProfile {
    /// The `index`-th (0-based) of `count` equal shares: users and pre-allocated/max users split as
    /// integers that add up to the whole (share i gets ⌊(i+1)·U/N⌋ − ⌊i·U/N⌋), spawn and arrival
    /// rates divided by `count`; durations unchanged.
    public func segment(_ index: Int, of count: Int) -> LoadProfile {
        guard count > 1, (0..<count).contains(index) else { return self }
        func share(_ total: Int) -> Int { (index + 1) * total / count - index * total / count }
        func rate(_ r: Double) -> Double { r / Double(count) }
        switch self {
        case .closed(let users, let spawnRate, let runTime):
            return .closed(users: share(users), spawnRate: rate(spawnRate), runTime: runTime)
        case .stages(let stages):
            return .stages(stages.map { Stage(duration: $0.duration, users: share($0.users), spawnRate: $0.spawnRate.map(rate)) })
        case .constantArrival(let r, let duration, let pre, let maxUsers):
            return .constantArrival(
                rate: rate(r), duration: duration, preAllocatedUsers: max(1, share(pre)), maxUsers: max(1, share(maxUsers)))
        case .rampingArrival(let start, let stages, let pre, let maxUsers):
            return .rampingArrival(
                startRate: rate(start), stages: stages.map { RateStage(duration: $0.duration, target: rate($0.target)) },
                preAllocatedUsers: max(1, share(pre)), maxUsers: max(1, share(maxUsers)))
        }
    }
}
