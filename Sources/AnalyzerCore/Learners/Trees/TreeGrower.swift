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
    private let data: TreeTrainingData
    private let settings: TreeSettings
    private let slots: Int
    /// Doubles per bin: 8 (one `SIMD8<Double>`, 64-byte aligned) when `slots` fits, else `slots`.
    private let stride: Int
    /// Doubles per feature histogram.
    private let histogramSize: Int
    private let p: Int
    /// The tree's sample (rows with weight > 0) with weights and targets, partitioned node by
    /// node so that every pass over a node reads it sequentially.
    private let samples: UnsafeMutablePointer<SampleEntry>
    private let sampleCount: Int
    /// Histograms and masks of the features drawn at a node (feature-sampling mode).
    private let drawnHist: UnsafeMutablePointer<Double>
    private let drawnMask: UnsafeMutablePointer<UInt64>
    private let drawn: UnsafeMutablePointer<Int32>
    /// Every feature index, in order (all-features mode).
    private let allFeatures: UnsafeMutablePointer<Int32>
    /// Node totals, running left sums, best split's left sums.
    private let totals: UnsafeMutablePointer<Double>
    private let left: UnsafeMutablePointer<Double>
    private let bestLeft: UnsafeMutablePointer<Double>
    /// Full histogram sets (all-features mode): `p` histograms and `p × 4` mask words each.
    private var setHist: [UnsafeMutablePointer<Double>] = []
    private var setMask: [UnsafeMutablePointer<UInt64>] = []
    private var freeSets: [Int] = []
    /// Feature order for sampling without replacement.
    private var featureOrder: [Int]

    /// Below this many rows in the larger child, building its histograms beats subtraction.
    private static let subtractionMinRows = 1024
    private static let bins = TreeTrainingData.maxBins

    /// One row of the tree's sample: its histogram slot (2 + class index; 2 for regression),
    /// weight (bootstrap count) and target value (regression).
    private struct SampleEntry {
        var row: Int32
        var slot: Int32
        var weight: Double
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

    // MARK: Node statistics

    /// Sums the node's rows into `totals`; returns whether the node is pure (one class, or one
    /// target value).
    private func computeTotals(_ start: Int, _ end: Int) -> Bool {
        for s in 0..<slots { totals[s] = 0 }
        if data.labels != nil {
            for k in start..<end {
                let e = samples[k]
                totals[0] += 1
                totals[1] += e.weight
                totals[Int(e.slot)] += e.weight
            }
            return classesArePure()
        }
        var lo = Double.infinity, hi = -Double.infinity
        for k in start..<end {
            let e = samples[k]
            totals[0] += 1
            totals[1] += e.weight
            totals[2] += e.weight * e.target
            lo = min(lo, e.target)
            hi = max(hi, e.target)
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

    /// Adds the node's rows to the histograms of `count` features (`features[i]` into the `i`-th
    /// histogram and mask at `hist` and `mask`), in one pass over the rows.
    private func build(
        features: UnsafePointer<Int32>, count: Int, _ start: Int, _ end: Int, _ hist: UnsafeMutablePointer<Double>,
        _ mask: UnsafeMutablePointer<UInt64>
    ) {
        let codes = data.codes, p = self.p, stride = self.stride, size = histogramSize
        if data.labels != nil {
            for k in start..<end {
                let e = samples[k]
                let row = codes + Int(e.row) &* p
                let w = e.weight, slot = Int(e.slot)
                for i in 0..<count {
                    let b = Int(row[Int(features[i])])
                    let h = hist + (i &* size &+ b &* stride)
                    h[0] += 1
                    h[1] += w
                    h[slot] += w
                    mask[i &* 4 &+ b &>> 6] |= 1 &<< UInt64(b & 63)
                }
            }
        } else {
            for k in start..<end {
                let e = samples[k]
                let row = codes + Int(e.row) &* p
                let w = e.weight, wy = e.weight * e.target
                for i in 0..<count {
                    let b = Int(row[Int(features[i])])
                    let h = hist + (i &* size &+ b &* stride)
                    h[0] += 1
                    h[1] += w
                    h[2] += wy
                    mask[i &* 4 &+ b &>> 6] |= 1 &<< UInt64(b & 63)
                }
            }
        }
    }

    /// Updates `best` with feature `f`'s best split; returns the number of non-empty bins.
    private func scan(
        feature f: Int, _ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>,
        _ best: inout Split
    ) -> Int {
        if stride == 8 { return scanVector(feature: f, hist, mask, &best) }
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

    private func hist(_ set: Int, _ f: Int) -> UnsafeMutablePointer<Double> { setHist[set] + f * histogramSize }
    private func mask(_ set: Int, _ f: Int) -> UnsafeMutablePointer<UInt64> { setMask[set] + f * 4 }

    private func acquireSet() -> Int {
        if let set = freeSets.popLast() { return set }
        setHist.append(Self.allocateHistograms(p * histogramSize))
        let m = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, p * 4))
        m.initialize(repeating: 0, count: max(1, p * 4))
        setMask.append(m)
        return setHist.count - 1
    }

    private func releaseSet(_ set: Int) {
        for f in 0..<p { clear(hist(set, f), mask(set, f)) }
        freeSets.append(set)
    }

    /// Zeroed doubles, 64-byte aligned (so each 8-double bin is one aligned vector).
    private static func allocateHistograms(_ count: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 8) * 8, alignment: 64)
        return raw.initializeMemory(as: Double.self, repeating: 0, count: max(count, 8))
    }

    // MARK: Partition

    /// Reorders the node's rows so those with `bin(f) <= bin` come first; returns the boundary.
    private func partition(feature f: Int, bin: Int, _ start: Int, _ end: Int) -> Int {
        let codes = data.codes + f, p = self.p
        let limit = UInt8(bin)
        var i = start, j = end - 1
        while i <= j {
            if codes[Int(samples[i].row) &* p] <= limit {
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
