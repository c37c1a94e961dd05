/// Limits of one tree (scikit-learn's names), resolved against the data.
struct TreeSettings: Sendable {
    var maxDepth: Int = .max
    var minSamplesSplit = 2
    var minSamplesLeaf = 1
    /// Features drawn at each split; the number of features means all.
    var maxFeatures: Int
    /// Derive the larger child's histograms by subtraction (off only to test that it changes nothing).
    var subtraction = true
}

/// Grows one CART tree (gini for classes, squared error for values) on ``TreeTrainingData`` with
/// per-node histograms over the bins.
///
/// Each bin of a histogram holds `slots` sums: unique rows, weight, then the class weights
/// (classification) or the weighted target sum (regression). For both criteria the best split
/// maximises Σ sᵢ²/w over the two sides. Non-empty bins are tracked in a 256-bit mask, so scanning
/// and clearing cost the bins a node actually touches, which keeps deep, small nodes cheap.
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
    private let data: TreeTrainingData
    private let settings: TreeSettings
    private let slots: Int
    /// Doubles per bin: 8 (one `SIMD8<Double>`, 64-byte aligned) when `slots` fits, else `slots`.
    private let stride: Int
    private let n: Int
    private let p: Int
    /// The tree's sample (rows with weight > 0) with weights and targets, partitioned node by
    /// node so that every pass over a node reads it sequentially.
    private let samples: UnsafeMutablePointer<SampleEntry>
    private let sampleCount: Int
    /// One feature's histogram and mask (feature-sampling mode).
    private let scratch: UnsafeMutablePointer<Double>
    private let scratchMask: UnsafeMutablePointer<UInt64>
    /// Node totals, running left sums, best split's left sums.
    private let totals: UnsafeMutablePointer<Double>
    private let left: UnsafeMutablePointer<Double>
    private let bestLeft: UnsafeMutablePointer<Double>
    /// Full histogram sets (subtraction mode): `p × 256 × slots` values and `p × 4` mask words each.
    private var setHist: [UnsafeMutablePointer<Double>] = []
    private var setMask: [UnsafeMutablePointer<UInt64>] = []
    private var freeSets: [Int] = []
    /// Feature order for sampling without replacement.
    private var featureOrder: [Int]

    /// Below this many rows in the larger child, building its histograms beats subtraction.
    private static let subtractionMinRows = 1024
    private static let bins = TreeTrainingData.maxBins

    /// Prepares to grow on the rows with `weights[r] > 0` (every row once when `weights` is nil).
    init(data: TreeTrainingData, settings: TreeSettings, weights rowWeights: [Float]?) {
        self.data = data
        self.settings = settings
        n = data.rowCount
        p = data.featureCount
        slots = data.labels != nil ? 2 + data.classCount : 3
        stride = slots <= 8 ? 8 : slots
        samples = .allocate(capacity: max(1, n))
        var count = 0
        for r in 0..<n {
            let w = rowWeights?[r] ?? 1
            if w > 0 {
                let target = data.labels.map { Double($0[r]) } ?? data.values![r]
                samples[count] = SampleEntry(row: Int32(r), weight: w, target: target)
                count += 1
            }
        }
        sampleCount = count
        scratch = Self.allocateHistograms(Self.bins * stride)
        scratchMask = .allocate(capacity: 4)
        scratchMask.initialize(repeating: 0, count: 4)
        totals = Self.allocateHistograms(stride)
        left = Self.allocateHistograms(stride)
        bestLeft = Self.allocateHistograms(stride)
        featureOrder = Array(0..<p)
    }

    deinit {
        samples.deallocate()
        scratch.deallocate()
        scratchMask.deallocate()
        totals.deallocate()
        left.deallocate()
        bestLeft.deallocate()
        for h in setHist { h.deallocate() }
        for m in setMask { m.deallocate() }
    }

    /// One row of the tree's sample: its weight (bootstrap count) and target (class index or value).
    private struct SampleEntry {
        var row: Int32
        var weight: Float
        var target: Double
    }

    private struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var depth: Int
        /// Histogram set holding this node's histograms, or -1.
        var set: Int
        /// Left (true) or right side of the parent's best split; nil for the root.
        var side: Bool?
    }

    private struct Split {
        var score = -Double.infinity
        var feature = -1
        var bin = 0
        var nextBin = 0
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
                    var usable = 0, drawn = 0
                    while usable < settings.maxFeatures && drawn < p {
                        let j = drawn + rng.nextInt(below: p - drawn)
                        featureOrder.swapAt(drawn, j)
                        let f = featureOrder[drawn]
                        drawn += 1
                        build(feature: f, task.start, task.end, scratch, scratchMask)
                        if scan(feature: f, scratch, scratchMask, &best) > 1 { usable += 1 }
                        clear(scratch, scratchMask)
                    }
                } else {
                    if set < 0 {
                        set = acquireSet()
                        for f in 0..<p { build(feature: f, task.start, task.end, hist(set, f), mask(set, f)) }
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
            if set >= 0 {
                let leftSmaller = mid - task.start <= task.end - mid
                let rightPure = isPure(left: false)
                let leftPure = isPure(left: true)
                let needLeft = mightSplit(rows: mid - task.start, depth: task.depth + 1, knownPure: leftPure)
                let needRight = mightSplit(rows: task.end - mid, depth: task.depth + 1, knownPure: rightPure)
                let largeNeeds = leftSmaller ? needRight : needLeft
                let smallNeeds = leftSmaller ? needLeft : needRight
                let largeRows = leftSmaller ? task.end - mid : mid - task.start
                if settings.subtraction && largeNeeds && largeRows >= Self.subtractionMinRows {
                    let small = acquireSet()
                    let (s, e) = leftSmaller ? (task.start, mid) : (mid, task.end)
                    for g in 0..<p {
                        build(feature: g, s, e, hist(small, g), mask(small, g))
                        subtract(hist(small, g), mask(small, g), from: hist(set, g), mask(set, g))
                    }
                    var smallSet = small
                    if !smallNeeds {
                        releaseSet(small)
                        smallSet = -1
                    }
                    if leftSmaller {
                        leftTask.set = smallSet
                        rightTask.set = set
                    } else {
                        leftTask.set = set
                        rightTask.set = smallSet
                    }
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
            } else {
                push(rightTask)
                push(leftTask)
            }
        }
        return DecisionTree(featureCount: p, valueWidth: valueWidth, nodes: nodes, leafValues: leafValues)
    }

    // MARK: Node statistics

    /// Sums the node's rows into `totals`; returns whether the node is pure (one class, or one
    /// target value).
    private func computeTotals(_ start: Int, _ end: Int) -> Bool {
        for s in 0..<slots { totals[s] = 0 }
        if data.labels != nil {
            for k in start..<end {
                let e = samples[k]
                let w = Double(e.weight)
                totals[0] += 1
                totals[1] += w
                totals[2 + Int(e.target)] += w
            }
            return classesArePure()
        }
        var lo = Double.infinity, hi = -Double.infinity
        for k in start..<end {
            let e = samples[k]
            let w = Double(e.weight), y = e.target
            totals[0] += 1
            totals[1] += w
            totals[2] += w * y
            lo = min(lo, y)
            hi = max(hi, y)
        }
        return lo >= hi
    }

    /// Whether `totals` holds weight for at most one class.
    private func classesArePure() -> Bool {
        var nonEmpty = 0
        for c in 0..<data.classCount where totals[2 + c] > 0 { nonEmpty += 1 }
        return nonEmpty <= 1
    }

    /// Whether one side of the best split is known to be pure (classification only).
    private func isPure(left isLeft: Bool) -> Bool {
        guard data.labels != nil else { return false }
        var nonEmpty = 0
        for c in 0..<data.classCount {
            let v = isLeft ? bestLeft[2 + c] : totals[2 + c] - bestLeft[2 + c]
            if v > 0 { nonEmpty += 1 }
        }
        return nonEmpty <= 1
    }

    private func mightSplit(rows: Int, depth: Int, knownPure: Bool) -> Bool {
        !knownPure && depth < settings.maxDepth && rows >= settings.minSamplesSplit
            && rows >= 2 * settings.minSamplesLeaf
    }

    // MARK: Histograms

    @inline(never)
    private func build(
        feature f: Int, _ start: Int, _ end: Int, _ hist: UnsafeMutablePointer<Double>,
        _ mask: UnsafeMutablePointer<UInt64>
    ) {
        let column = data.codes + f * n
        if data.labels != nil {
            for k in start..<end {
                let e = samples[k]
                let b = Int(column[Int(e.row)])
                let w = Double(e.weight)
                let h = hist + b * stride
                h[0] += 1
                h[1] += w
                h[2 + Int(e.target)] += w
                mask[b >> 6] |= 1 &<< UInt64(b & 63)
            }
        } else {
            for k in start..<end {
                let e = samples[k]
                let b = Int(column[Int(e.row)])
                let w = Double(e.weight)
                let h = hist + b * stride
                h[0] += 1
                h[1] += w
                h[2] += w * e.target
                mask[b >> 6] |= 1 &<< UInt64(b & 63)
            }
        }
    }

    /// Updates `best` with feature `f`'s best split; returns the number of non-empty bins.
    @inline(never)
    private func scan(
        feature f: Int, _ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>,
        _ best: inout Split
    ) -> Int {
        if stride == 8 { return scanVector(feature: f, hist, mask, &best) }
        let slots = self.slots
        let minLeaf = Double(settings.minSamplesLeaf)
        let totalRows = totals[0], totalWeight = totals[1]
        for s in 0..<slots { left[s] = 0 }
        var previous = -1
        var touched = 0
        for word in 0..<4 {
            var bits = mask[word]
            while bits != 0 {
                let b = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                touched += 1
                if previous >= 0 {
                    let leftRows = left[0]
                    if totalRows - leftRows < minLeaf { return touched }
                    if leftRows >= minLeaf {
                        let wl = left[1], wr = totalWeight - wl
                        var sumL = 0.0, sumR = 0.0
                        for s in 2..<slots {
                            let l = left[s], r = totals[s] - l
                            sumL += l * l
                            sumR += r * r
                        }
                        let score = sumL / wl + sumR / wr
                        if score > best.score {
                            best = Split(score: score, feature: f, bin: previous, nextBin: b)
                            for s in 0..<slots { bestLeft[s] = left[s] }
                        }
                    }
                }
                let h = hist + b * stride
                for s in 0..<slots { left[s] += h[s] }
                previous = b
            }
        }
        return touched
    }

    /// ``scan(feature:_:_:_:)`` with each bin as one `SIMD8<Double>` (at most 6 classes).
    @inline(never)
    private func scanVector(
        feature f: Int, _ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>,
        _ best: inout Split
    ) -> Int {
        let minLeaf = Double(settings.minSamplesLeaf)
        let total = UnsafeRawPointer(totals).load(as: SIMD8<Double>.self)
        // Selects the class (or target-sum) slots that enter the score.
        var scored = SIMD8<Double>(repeating: 0)
        for s in 2..<slots { scored[s] = 1 }
        var left = SIMD8<Double>(repeating: 0)
        var previous = -1
        var touched = 0
        var bestScore = best.score
        defer { best.score = bestScore }
        for word in 0..<4 {
            var bits = mask[word]
            while bits != 0 {
                let b = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                touched += 1
                if previous >= 0 {
                    let right = total - left
                    if right[0] < minLeaf { return touched }
                    if left[0] >= minLeaf {
                        let l = left * scored, r = right * scored
                        // score = Σl²/wl + Σr²/wr; compared without dividing (weights are positive).
                        let wl = left[1], wr = right[1]
                        let numerator = (l * l).sum() * wr + (r * r).sum() * wl
                        if numerator > bestScore * (wl * wr) {
                            bestScore = numerator / (wl * wr)
                            best = Split(score: bestScore, feature: f, bin: previous, nextBin: b)
                            UnsafeMutableRawPointer(bestLeft).storeBytes(of: left, as: SIMD8<Double>.self)
                        }
                    }
                }
                left += UnsafeRawPointer(hist + b * 8).load(as: SIMD8<Double>.self)
                previous = b
            }
        }
        return touched
    }

    /// Zeroes the non-empty bins and the mask.
    @inline(never)
    private func clear(_ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>) {
        for word in 0..<4 {
            var bits = mask[word]
            while bits != 0 {
                let b = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                let h = hist + b * stride
                for s in 0..<slots { h[s] = 0 }
            }
            mask[word] = 0
        }
    }

    /// `parent -= child` over the parent's non-empty bins; bins left empty are zeroed and unmasked.
    private func subtract(
        _ child: UnsafeMutablePointer<Double>, _ childMask: UnsafeMutablePointer<UInt64>,
        from parent: UnsafeMutablePointer<Double>, _ parentMask: UnsafeMutablePointer<UInt64>
    ) {
        for word in 0..<4 {
            var bits = parentMask[word] & childMask[word]
            while bits != 0 {
                let b = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                let h = parent + b * stride, c = child + b * stride
                if h[0] == c[0] {
                    for s in 0..<slots { h[s] = 0 }
                    parentMask[word] &= ~(1 &<< UInt64(b & 63))
                } else {
                    for s in 0..<slots { h[s] -= c[s] }
                }
            }
        }
    }

    private func hist(_ set: Int, _ f: Int) -> UnsafeMutablePointer<Double> { setHist[set] + f * Self.bins * stride }
    private func mask(_ set: Int, _ f: Int) -> UnsafeMutablePointer<UInt64> { setMask[set] + f * 4 }

    private func acquireSet() -> Int {
        if let set = freeSets.popLast() { return set }
        let h = Self.allocateHistograms(p * Self.bins * stride)
        let m = UnsafeMutablePointer<UInt64>.allocate(capacity: p * 4)
        m.initialize(repeating: 0, count: p * 4)
        setHist.append(h)
        setMask.append(m)
        return setHist.count - 1
    }

    /// Zeroed doubles, 64-byte aligned (so each 8-double bin is one aligned vector).
    private static func allocateHistograms(_ count: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 8) * 8, alignment: 64)
        return raw.initializeMemory(as: Double.self, repeating: 0, count: max(count, 8))
    }

    private func releaseSet(_ set: Int) {
        for f in 0..<p { clear(hist(set, f), mask(set, f)) }
        freeSets.append(set)
    }

    // MARK: Partition

    /// Reorders the node's rows so those with `bin(f) <= bin` come first; returns the boundary.
    @inline(never)
    private func partition(feature f: Int, bin: Int, _ start: Int, _ end: Int) -> Int {
        let column = data.codes + f * n
        let limit = UInt8(bin)
        var i = start, j = end - 1
        while i <= j {
            if column[Int(samples[i].row)] <= limit {
                i += 1
            } else {
                let t = samples[i]
                samples[i] = samples[j]
                samples[j] = t
                j -= 1
            }
        }
        return i
    }
}
