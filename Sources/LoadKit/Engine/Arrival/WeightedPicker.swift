/// Smooth weighted round robin over indices.
struct WeightedPicker {
    private let weights: [Int]
    private var current: [Int]
    private let total: Int

    init(weights: [Int]) {
        self.weights = weights.map { max($0, 0) }
        current = Array(repeating: 0, count: weights.count)
        total = self.weights.reduce(0, +)
    }

    mutating func next() -> Int {
        guard total > 0 else { return 0 }
        var best = 0
        for i in weights.indices {
            current[i] += weights[i]
            if current[i] > current[best] { best = i }
        }
        current[best] -= total
        return best
    }
}
