/// Grows one CART tree (gini for classes, squared error for values) on ``TreeTrainingData`` with
/// per-node histograms over the bins.
///
/// Each bin of a histogram holds `slots` sums: unique rows, weight, then the class weights
/// (classification) or the weighted target sum (regression). For both criteria the best split
/// maximises Σ sᵢ²/w over the two sides. Non-empty bins are tracked in a 256-bit mask, so scanning
/// and clearing cost the bins a node actually touches, which keeps deep, small nodes cheap. The
/// histograms of all the features a node needs are filled in one pass over its rows (a row's
/// codes are adjacent in memory).
///
/// When every feature is a candidate at every split (decision trees and regression forests by
/// default) a node keeps histograms for all features and passes them on: the smaller child's are
/// built and the larger child's are the parent's minus the smaller's (the subtraction trick).
/// With feature sampling (`maxFeatures` < features, classification forests) only the drawn
/// features' histograms are built; as in scikit-learn, drawing continues past features that are
/// constant in the node until `maxFeatures` usable ones were seen.
///
/// Not thread-safe: one grower per tree.
final class TreeGrower {
    // Members are internal (not private) only for the +Nodes and +Histograms extensions.
    let data: TreeTrainingData
    let settings: TreeSettings
    let slots: Int
    /// Doubles per bin: 8 (one `SIMD8<Double>`, 64-byte aligned) when `slots` fits, else `slots`.
    let stride: Int
    /// Doubles per feature histogram.
    let histogramSize: Int
    let p: Int
    /// The tree's sample (rows with weight > 0) with weights and targets, partitioned node by
    /// node so that every pass over a node reads it sequentially.
    let samples: UnsafeMutablePointer<SampleEntry>
    let sampleCount: Int
    /// Histograms and masks of the features drawn at a node (feature-sampling mode).
    let drawnHist: UnsafeMutablePointer<Double>
    let drawnMask: UnsafeMutablePointer<UInt64>
    let drawn: UnsafeMutablePointer<Int32>
    /// Every feature index, in order (all-features mode).
    let allFeatures: UnsafeMutablePointer<Int32>
    /// Node totals, running left sums, best split's left sums.
    let totals: UnsafeMutablePointer<Double>
    let left: UnsafeMutablePointer<Double>
    let bestLeft: UnsafeMutablePointer<Double>
    /// Full histogram sets (all-features mode): `p` histograms and `p × 4` mask words each.
    var setHist: [UnsafeMutablePointer<Double>] = []
    var setMask: [UnsafeMutablePointer<UInt64>] = []
    var freeSets: [Int] = []
    /// Feature order for sampling without replacement.
    var featureOrder: [Int]

    /// Below this many rows in the larger child, building its histograms beats subtraction.
    static let subtractionMinRows = 1024
    static let bins = TreeTrainingData.maxBins

    /// One row of the tree's sample: its histogram slot (2 + class index; 2 for regression),
    /// weight (bootstrap count) and target value (regression).
    struct SampleEntry {
        var row: Int32
        var slot: Int32
        var weight: Double
        var target: Double
    }

    struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var depth: Int
        /// Histogram set holding this node's histograms, or -1.
        var set: Int
        /// Left (true) or right side of the parent's best split; nil for the root.
        var side: Bool?
    }

    struct Split {
        var score = -Double.infinity
        var feature = -1
        var bin = 0
        var nextBin = 0
    }

    /// Prepares to grow on the rows with `weights[r] > 0` (every row once when `weights` is nil).
    init(data: TreeTrainingData, settings: TreeSettings, weights rowWeights: [Float]?) {
        self.data = data
        self.settings = settings
        p = data.featureCount
        slots = data.labels != nil ? 2 + data.classCount : 3
        stride = slots <= 8 ? 8 : slots
        histogramSize = Self.bins * stride
        let n = data.rowCount
        samples = .allocate(capacity: max(1, n))
        var count = 0
        for r in 0..<n {
            let w = rowWeights?[r] ?? 1
            if w > 0 {
                let slot = data.labels.map { 2 + $0[r] } ?? 2
                samples[count] = SampleEntry(row: Int32(r), slot: slot, weight: Double(w), target: data.values?[r] ?? 0)
                count += 1
            }
        }
        sampleCount = count
        let maxDrawn = max(1, min(p, settings.maxFeatures))
        drawnHist = Self.allocateHistograms(maxDrawn * histogramSize)
        drawnMask = .allocate(capacity: maxDrawn * 4)
        drawnMask.initialize(repeating: 0, count: maxDrawn * 4)
        drawn = .allocate(capacity: maxDrawn)
        allFeatures = .allocate(capacity: max(1, p))
        for f in 0..<p { allFeatures[f] = Int32(f) }
        totals = Self.allocateHistograms(stride)
        left = Self.allocateHistograms(stride)
        bestLeft = Self.allocateHistograms(stride)
        featureOrder = Array(0..<p)
    }

    deinit {
        samples.deallocate()
        drawnHist.deallocate()
        drawnMask.deallocate()
        drawn.deallocate()
        allFeatures.deallocate()
        totals.deallocate()
        left.deallocate()
        bestLeft.deallocate()
        for h in setHist { h.deallocate() }
        for m in setMask { m.deallocate() }
    }

    /// Grows the tree; `rng` drives feature sampling.
    func grow(rng: inout DeterministicRNG) -> DecisionTree {
        let valueWidth = data.labels != nil ? data.classCount : 1
        var nodes = [TreeNode(threshold: 0, feature: -1, child: 0)]
        var leafValues: [Double] = []
        let sampling = settings.maxFeatures < p
        // Classification: a child's totals are exact sums of integer weights taken from its
        // parent's best split, so they are stacked with the pending nodes instead of recomputed.
        let inherit = data.labels != nil
        var stackTotals: [Double] = []
        var stack = [Pending(node: 0, start: 0, end: sampleCount, depth: 0, set: -1, side: nil)]
        func push(_ task: Pending) {
            stack.append(task)
            guard inherit, let isLeft = task.side else { return }
            for s in 0..<slots { stackTotals.append(isLeft ? bestLeft[s] : totals[s] - bestLeft[s]) }
        }
        while let task = stack.popLast() {
            let rows = task.end - task.start
            let pure: Bool
            if inherit && task.side != nil {
                let base = stackTotals.count - slots
                for s in 0..<slots { totals[s] = stackTotals[base + s] }
                stackTotals.removeLast(slots)
                pure = classesArePure()
            } else {
                pure = computeTotals(task.start, task.end)
            }
            var isLeaf = pure || task.depth >= settings.maxDepth || rows < settings.minSamplesSplit
                || rows < 2 * settings.minSamplesLeaf
            var best = Split()
            var set = task.set
            if !isLeaf {
                if sampling {
                    // Draw the features still needed, fill their histograms in one pass, scan
                    // them in draw order; repeat while constant features left us short.
                    var usable = 0, taken = 0
                    while usable < settings.maxFeatures && taken < p {
                        let batch = min(settings.maxFeatures - usable, p - taken)
                        for i in 0..<batch {
                            let j = taken + rng.nextInt(below: p - taken)
                            featureOrder.swapAt(taken, j)
                            drawn[i] = Int32(featureOrder[taken])
                            taken += 1
                        }
                        build(features: drawn, count: batch, task.start, task.end, drawnHist, drawnMask)
                        for i in 0..<batch {
                            let h = drawnHist + i * histogramSize, m = drawnMask + i * 4
                            if scan(feature: Int(drawn[i]), h, m, &best) > 1 { usable += 1 }
                            clear(h, m)
                        }
                    }
                } else {
                    if set < 0 {
                        set = acquireSet()
                        build(features: allFeatures, count: p, task.start, task.end, setHist[set], setMask[set])
                    }
                    for f in 0..<p { _ = scan(feature: f, hist(set, f), mask(set, f), &best) }
                }
                if best.feature < 0 { isLeaf = true }
            }
            if isLeaf {
                if set >= 0 { releaseSet(set) }
                nodes[task.node] = TreeNode(threshold: 0, feature: -1, child: Int32(leafValues.count / valueWidth))
                let w = totals[1]
                for k in 0..<valueWidth { leafValues.append(totals[2 + k] / w) }
                continue
            }
            // Split: rows whose bin is <= best.bin go left.
            let f = best.feature
            let mid = partition(feature: f, bin: best.bin, task.start, task.end)
            let leftNode = nodes.count
            nodes.append(TreeNode(threshold: 0, feature: -1, child: 0))
            nodes.append(TreeNode(threshold: 0, feature: -1, child: 0))
            nodes[task.node] = TreeNode(
                threshold: data.threshold(feature: f, leftBin: best.bin, rightBin: best.nextBin), feature: Int32(f),
                child: Int32(leftNode))
            var leftTask = Pending(node: leftNode, start: task.start, end: mid, depth: task.depth + 1, set: -1, side: true)
            var rightTask = Pending(node: leftNode + 1, start: mid, end: task.end, depth: task.depth + 1, set: -1, side: false)
            guard set >= 0 else {
                push(rightTask)
                push(leftTask)
                continue
            }
            let leftSmaller = mid - task.start <= task.end - mid
            let needLeft = mightSplit(rows: mid - task.start, depth: task.depth + 1, knownPure: isPure(left: true))
            let needRight = mightSplit(rows: task.end - mid, depth: task.depth + 1, knownPure: isPure(left: false))
            let largeNeeds = leftSmaller ? needRight : needLeft
            let smallNeeds = leftSmaller ? needLeft : needRight
            let largeRows = leftSmaller ? task.end - mid : mid - task.start
            if settings.subtraction && largeNeeds && largeRows >= Self.subtractionMinRows {
                let small = acquireSet()
                let (s, e) = leftSmaller ? (task.start, mid) : (mid, task.end)
                build(features: allFeatures, count: p, s, e, setHist[small], setMask[small])
                for g in 0..<p { subtract(hist(small, g), mask(small, g), from: hist(set, g), mask(set, g)) }
                var smallSet = small
                if !smallNeeds {
                    releaseSet(small)
                    smallSet = -1
                }
                leftTask.set = leftSmaller ? smallSet : set
                rightTask.set = leftSmaller ? set : smallSet
            } else {
                releaseSet(set)
            }
            // Smaller child first: fewer histogram sets held at once.
            if leftSmaller {
                push(rightTask)
                push(leftTask)
            } else {
                push(leftTask)
                push(rightTask)
            }
        }
        return DecisionTree(featureCount: p, valueWidth: valueWidth, nodes: nodes, leafValues: leafValues)
    }
}
