/// A node's totals and purity, and the partition of its rows at a split.
extension TreeGrower {
    /// Sums the node's rows into `totals`; returns whether the node is pure (one class, or one
    /// target value).
    func computeTotals(_ start: Int, _ end: Int) -> Bool {
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
    func classesArePure() -> Bool {
        var nonEmpty = 0
        for c in 0..<data.classCount where totals[2 + c] > 0 { nonEmpty += 1 }
        return nonEmpty <= 1
    }

    /// Whether one side of the best split is known to be pure (classification only).
    func isPure(left isLeft: Bool) -> Bool {
        guard data.labels != nil else { return false }
        var nonEmpty = 0
        for c in 0..<data.classCount {
            let v = isLeft ? bestLeft[2 + c] : totals[2 + c] - bestLeft[2 + c]
            if v > 0 { nonEmpty += 1 }
        }
        return nonEmpty <= 1
    }

    func mightSplit(rows: Int, depth: Int, knownPure: Bool) -> Bool {
        !knownPure && depth < settings.maxDepth && rows >= settings.minSamplesSplit
            && rows >= 2 * settings.minSamplesLeaf
    }

    /// Reorders the node's rows so those with `bin(f) <= bin` come first; returns the boundary.
    func partition(feature f: Int, bin: Int, _ start: Int, _ end: Int) -> Int {
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
