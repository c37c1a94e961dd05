/// Splits a number of users over user classes: `fixed_count` first, then weights (largest remainder).
struct UserDistribution: Sendable {
    let weights: [Int]
    let fixed: [Int?]

    init(classes: [UserClassSpec]) {
        weights = classes.map { max($0.weight, 0) }
        fixed = classes.map(\.fixedCount)
    }

    /// Users per class for `total` users.
    func counts(for total: Int) -> [Int] {
        var out = Array(repeating: 0, count: weights.count)
        var remaining = total
        for (i, f) in fixed.enumerated() {
            if let f {
                out[i] = min(f, remaining)
                remaining -= out[i]
            }
        }
        let weighted = weights.indices.filter { fixed[$0] == nil && weights[$0] > 0 }
        let sum = weighted.reduce(0) { $0 + weights[$1] }
        guard remaining > 0, sum > 0 else { return out }
        var given = 0
        var remainders: [(Int, Double)] = []
        for i in weighted {
            let exact = Double(remaining) * Double(weights[i]) / Double(sum)
            out[i] = Int(exact)
            given += out[i]
            remainders.append((i, exact - Double(out[i])))
        }
        remainders.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for k in 0..<(remaining - given) { out[remainders[k % remainders.count].0] += 1 }
        return out
    }

    /// The class the next spawned user should belong to, given current counts.
    func nextToSpawn(current: [Int]) -> Int? {
        let target = counts(for: current.reduce(0, +) + 1)
        var best: Int?
        var bestGap = 0
        for i in target.indices where target[i] - current[i] > bestGap {
            best = i
            bestGap = target[i] - current[i]
        }
        return best
    }

    /// The class whose user should stop next, given current counts.
    func nextToStop(current: [Int]) -> Int? {
        let total = current.reduce(0, +)
        guard total > 0 else { return nil }
        let target = counts(for: total - 1)
        var best: Int?
        var bestGap = 0
        for i in target.indices where current[i] - target[i] > bestGap {
            best = i
            bestGap = current[i] - target[i]
        }
        return best ?? current.lastIndex(where: { $0 > 0 })
    }
}
