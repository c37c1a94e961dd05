/// A fitted CART tree stored as a flat node array; the children of an internal node are adjacent.
public struct DecisionTree: Sendable, Equatable {
    /// Number of input features the tree was trained on.
    public let featureCount: Int
    /// Values per leaf: class probabilities (classification) or 1 (regression).
    public let valueWidth: Int
    /// The nodes; node 0 is the root.
    public let nodes: [TreeNode]
    /// `valueWidth` values per leaf.
    public let leafValues: [Double]

    /// Number of nodes.
    public var nodeCount: Int { nodes.count }
    /// Number of leaves.
    public var leafCount: Int { leafValues.count / max(valueWidth, 1) }

    /// Offset in `leafValues` of the leaf that the features at `x` reach.
    @inline(__always)
    func leafOffset(_ x: UnsafePointer<Double>) -> Int {
        nodes.withUnsafeBufferPointer { node in
            var i = 0
            while true {
                let n = node[i]
                if n.feature < 0 { return Int(n.child) * valueWidth }
                i = Int(n.child) + (x[Int(n.feature)] <= n.threshold ? 0 : 1)
            }
        }
    }

    /// Writes the leaf values for the features at `x` into `out` (`valueWidth` values).
    @inline(__always)
    func predict(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let offset = leafOffset(x)
        for k in 0..<valueWidth { out[k] = leafValues[offset + k] }
    }

    /// Adds the leaf values of each of `rows` rows (row-major at `x`, `stride` apart) to `out`
    /// (`valueWidth` per row). One tree over many rows keeps the tree in cache; eight rows walk
    /// down together so that their memory accesses overlap.
    func accumulate(rows: Int, x: UnsafePointer<Double>, stride: Int, into out: UnsafeMutablePointer<Double>) {
        let width = valueWidth
        nodes.withUnsafeBufferPointer { nodeBuffer in
            leafValues.withUnsafeBufferPointer { values in
                guard let node = nodeBuffer.baseAddress, let value = values.baseAddress else { return }
                var r = 0
                while r < rows {
                    let lanes = min(8, rows - r)
                    var at = SIMD8<Int>(repeating: 0)
                    var moving = true
                    while moving {
                        moving = false
                        for l in 0..<lanes {
                            let n = node[at[l]]
                            if n.feature >= 0 {
                                at[l] = Int(n.child) + (x[(r + l) * stride + Int(n.feature)] <= n.threshold ? 0 : 1)
                                moving = true
                            }
                        }
                    }
                    for l in 0..<lanes {
                        let leaf = value + Int(node[at[l]].child) * width
                        let o = out + (r + l) * width
                        for k in 0..<width { o[k] += leaf[k] }
                    }
                    r += lanes
                }
            }
        }
    }

    /// Checks the structure (used on deserialised trees, so that prediction cannot go out of bounds
    /// or loop): children after their parent, indices and features in range.
    func isWellFormed() -> Bool {
        let n = nodes.count
        guard n > 0, valueWidth > 0, leafValues.count % valueWidth == 0 else { return false }
        let leaves = leafValues.count / valueWidth
        for i in 0..<n {
            let f = Int(nodes[i].feature), c = Int(nodes[i].child)
            if f < 0 {
                guard c >= 0, c < leaves else { return false }
            } else {
                guard f < featureCount, c > i, c + 1 < n else { return false }
            }
        }
        return true
    }
}
