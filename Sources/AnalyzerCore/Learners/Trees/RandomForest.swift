/// A fitted random forest: bagged CART trees; the prediction is the mean of the trees' leaf
/// values (class probabilities or targets), as in scikit-learn.
public struct RandomForest: Sendable, Equatable {
    /// Number of input features.
    public let featureCount: Int
    /// Values per leaf: class count, or 1 for regression.
    public let valueWidth: Int
    /// The trees.
    public let trees: [DecisionTree]

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

    /// Mean leaf values for every row of `x` (`x.rows × valueWidth`, row-major). Rows are split
    /// into chunks spread over the cores; within a chunk the trees are walked one at a time over
    /// all its rows (so a tree stays in cache), in tree order, which is exactly the arithmetic of
    /// the single-row ``predict(_:into:)``: batch and single predictions agree to the last bit.
    func predict(matrix x: FeatureMatrix) -> [Double] {
        let rows = x.rows, width = valueWidth
        // Few chunks: each chunk streams every tree through the cache once.
        let chunks = rows >= 512 ? 4 : 1
        let chunkRows = (rows + chunks - 1) / chunks
        let scale = 1 / Double(max(trees.count, 1))
        let parts = parallelMap(count: chunks) { c -> [Double] in
            let lo = min(rows, c * chunkRows), hi = min(rows, lo + chunkRows)
            var out = [Double](repeating: 0, count: (hi - lo) * width)
            x.values.withUnsafeBufferPointer { xv in
                out.withUnsafeMutableBufferPointer { o in
                    guard let xb = xv.baseAddress, let ob = o.baseAddress else { return }
                    for tree in trees { tree.accumulate(rows: hi - lo, x: xb + lo * x.cols, stride: x.cols, into: ob) }
                }
            }
            for i in 0..<out.count { out[i] *= scale }
            return out
        }
        return chunks == 1 ? parts[0] : parts.flatMap { $0 }
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
