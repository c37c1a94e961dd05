/// Per-feature bin histograms: building, scanning for the best split, clearing, subtracting, pooling.
extension TreeGrower {
    /// Adds the node's rows to the histograms of `count` features (`features[i]` into the `i`-th
    /// histogram and mask at `hist` and `mask`), in one pass over the rows.
    func build(
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
    func scan(
        feature f: Int, _ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>,
        _ best: inout Split
    ) -> Int {
        if stride == 8 { return scanVector(feature: f, hist, mask, &best) }
        let minLeaf = Double(settings.minSamplesLeaf)
        let totalRows = totals[0], totalWeight = totals[1]
        for s in 0..<slots { left[s] = 0 }
        var previous = -1
        var touched = 0
        forEachBin({ mask[$0] }) { b in
            touched += 1
            if previous >= 0 {
                let leftRows = left[0]
                if totalRows - leftRows < minLeaf { return false }
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
            return true
        }
        return touched
    }

    /// ``scan(feature:_:_:_:)`` with each bin as one `SIMD8<Double>` (at most 6 classes).
    func scanVector(
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
        forEachBin({ mask[$0] }) { b in
            touched += 1
            if previous >= 0 {
                let right = total - left
                if right[0] < minLeaf { return false }
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
            return true
        }
        return touched
    }

    /// Zeroes the non-empty bins and the mask.
    func clear(_ hist: UnsafeMutablePointer<Double>, _ mask: UnsafeMutablePointer<UInt64>) {
        forEachBin({ mask[$0] }) { b in
            let h = hist + b * stride
            for s in 0..<slots { h[s] = 0 }
            return true
        }
        mask.update(repeating: 0, count: 4)
    }

    /// `parent -= child` over the parent's non-empty bins; bins left empty are zeroed and unmasked.
    func subtract(
        _ child: UnsafeMutablePointer<Double>, _ childMask: UnsafeMutablePointer<UInt64>,
        from parent: UnsafeMutablePointer<Double>, _ parentMask: UnsafeMutablePointer<UInt64>
    ) {
        forEachBin({ parentMask[$0] & childMask[$0] }) { b in
            let h = parent + b * stride, c = child + b * stride
            if h[0] == c[0] {
                for s in 0..<slots { h[s] = 0 }
                parentMask[b &>> 6] &= ~(1 &<< UInt64(b & 63))
            } else {
                for s in 0..<slots { h[s] -= c[s] }
            }
            return true
        }
    }

    /// Calls `visit` with each non-empty bin of a 256-bin mask, in ascending order, until it returns
    /// false; `word(i)` is the mask's `i`-th 64-bit word (0…3), read when its bins are reached.
    @inline(__always)
    func forEachBin(_ word: (Int) -> UInt64, _ visit: (Int) -> Bool) {
        for w in 0..<4 {
            var bits = word(w)
            while bits != 0 {
                let b = w << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                if !visit(b) { return }
            }
        }
    }

    func hist(_ set: Int, _ f: Int) -> UnsafeMutablePointer<Double> { setHist[set] + f * histogramSize }
    func mask(_ set: Int, _ f: Int) -> UnsafeMutablePointer<UInt64> { setMask[set] + f * 4 }

    func acquireSet() -> Int {
        if let set = freeSets.popLast() { return set }
        setHist.append(Self.allocateHistograms(p * histogramSize))
        let m = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, p * 4))
        m.initialize(repeating: 0, count: max(1, p * 4))
        setMask.append(m)
        return setHist.count - 1
    }

    func releaseSet(_ set: Int) {
        for f in 0..<p { clear(hist(set, f), mask(set, f)) }
        freeSets.append(set)
    }

    /// Zeroed doubles, 64-byte aligned (so each 8-double bin is one aligned vector).
    static func allocateHistograms(_ count: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 8) * 8, alignment: 64)
        return raw.initializeMemory(as: Double.self, repeating: 0, count: max(count, 8))
    }
}
