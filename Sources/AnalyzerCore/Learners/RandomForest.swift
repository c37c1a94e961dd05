/// A fitted random forest: bagged CART trees; the prediction is the mean of the trees' leaf
/// values (class probabilities or targets), as in scikit-learn.
public struct RandomForest: Sendable, Equatable {
    /// Number of input features.
    public let featureCount: Int
    /// Values per leaf: class count, or 1 for regression.
    public let valueWidth: Int
    /// The trees.
    public let trees: [DecisionTree]

    init(featureCount: Int, valueWidth: Int, trees: [DecisionTree]) {
        self.featureCount = featureCount
        self.valueWidth = valueWidth
        self.trees = trees
    }

    /// Writes the mean leaf values for the features at `x` into `out` (`valueWidth` values).
    @inline(__always)
    func predict(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let width = valueWidth
        for k in 0..<width { out[k] = 0 }
        for tree in trees {
            let offset = tree.leafOffset(x)
            tree.leafValues.withUnsafeBufferPointer { v in
                for k in 0..<width { out[k] += v[offset + k] }
            }
        }
        let scale = 1 / Double(max(trees.count, 1))
        for k in 0..<width { out[k] *= scale }
    }

    /// Mean leaf values for every row of `x` (`x.rows × valueWidth`, row-major). Trees are
    /// walked one at a time over all rows (a tree stays in cache), in fixed groups spread over the
    /// cores; group sums are added in group order, so the result does not depend on scheduling.
    func predict(matrix x: FeatureMatrix) -> [Double] {
        let rows = x.rows, width = valueWidth
        let groups = min(trees.count, 8)
        let perGroup = (trees.count + groups - 1) / max(groups, 1)
        let partial = parallelMap(count: groups) { g -> [Double] in
            var out = [Double](repeating: 0, count: rows * width)
            x.values.withUnsafeBufferPointer { xv in
                out.withUnsafeMutableBufferPointer { o in
                    guard let xb = xv.baseAddress, let ob = o.baseAddress else { return }
                    for t in min(trees.count, g * perGroup)..<min(trees.count, (g + 1) * perGroup) {
                        trees[t].accumulate(rows: rows, x: xb, stride: x.cols, into: ob)
                    }
                }
            }
            return out
        }
        guard var total = partial.first else { return [Double](repeating: 0, count: rows * width) }
        for g in partial.dropFirst() { for i in 0..<total.count { total[i] += g[i] } }
        let scale = 1 / Double(max(trees.count, 1))
        for i in 0..<total.count { total[i] *= scale }
        return total
    }

    /// Grows `count` trees in parallel on all cores. Tree `i` uses its own generator derived
    /// from (`seed`, `i`) for its bootstrap sample and feature draws, so the forest depends on the
    /// seed only, never on thread scheduling. The features are binned once for all trees.
    static func fit(
        data: TreeTrainingData, count: Int, bootstrap: Bool, settings: TreeSettings, seed: UInt64
    ) -> RandomForest {
        let n = data.rowCount
        let trees = parallelMap(count: count) { i -> DecisionTree in
            var rng = DeterministicRNG(seed: seed, stream: i)
            var weights: [Float]?
            if bootstrap {
                var counts = [Float](repeating: 0, count: n)
                for _ in 0..<n { counts[rng.nextInt(below: n)] += 1 }
                weights = counts
            }
            let grower = TreeGrower(data: data, settings: settings, weights: weights)
            return grower.grow(rng: &rng)
        }
        return RandomForest(
            featureCount: data.featureCount, valueWidth: data.labels != nil ? data.classCount : 1, trees: trees)
    }
}
