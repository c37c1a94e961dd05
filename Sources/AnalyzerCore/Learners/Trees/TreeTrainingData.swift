/// Training data prepared once for growing trees: every feature quantised into at most 256 bins
/// (`UInt8` codes, row-major: a row's codes share a cache line), plus the target.
///
/// A feature with at most 256 distinct training values gets one bin per value, so splits are
/// exactly CART's; otherwise bins hold roughly equal numbers of rows. Each bin remembers its
/// smallest and largest training value, so split thresholds are real midpoints between adjacent
/// non-empty bins and prediction compares raw feature values. Immutable after init, shared by
/// the threads growing a forest.
final class TreeTrainingData: @unchecked Sendable {
    let rowCount: Int
    let featureCount: Int
    /// Bin code of row `r`, feature `f` at `codes[r * featureCount + f]`.
    let codes: UnsafeMutablePointer<UInt8>
    /// Per feature, per bin: smallest and largest training value.
    let binLow: [[Double]]
    let binHigh: [[Double]]
    /// Number of classes; 0 for regression.
    let classCount: Int
    /// Class index per row (classification).
    let labels: UnsafeMutablePointer<Int32>?
    /// Target per row (regression).
    let values: UnsafeMutablePointer<Double>?

    static let maxBins = 256

    /// Classification data: `labels` are class indices in `0..<classCount`.
    convenience init(features: FeatureMatrix, labels: [Int32], classCount: Int) {
        self.init(features: features, classCount: classCount, labels: labels, values: nil)
    }

    /// Regression data.
    convenience init(features: FeatureMatrix, values: [Double]) {
        self.init(features: features, classCount: 0, labels: nil, values: values)
    }

    private init(features x: FeatureMatrix, classCount: Int, labels: [Int32]?, values: [Double]?) {
        let n = x.rows, p = x.cols
        rowCount = n
        featureCount = p
        self.classCount = classCount
        let binned = parallelMap(count: p) { f -> BinnedColumn in
            Self.bin(feature: f, of: x, maxBins: Self.maxBins)
        }
        codes = .allocate(capacity: max(1, n * p))
        for (f, column) in binned.enumerated() {
            for r in 0..<n { codes[r * p + f] = column.codes[r] }
        }
        binLow = binned.map(\.low)
        binHigh = binned.map(\.high)
        if let labels {
            self.labels = .allocate(capacity: max(1, n))
            self.labels!.initialize(from: labels, count: n)
        } else {
            self.labels = nil
        }
        if let values {
            self.values = .allocate(capacity: max(1, n))
            self.values!.initialize(from: values, count: n)
        } else {
            self.values = nil
        }
    }

    deinit {
        codes.deallocate()
        labels?.deallocate()
        values?.deallocate()
    }

    /// The threshold separating `leftBin` (and below) from `rightBin` (the next non-empty bin of
    /// the node): the midpoint of the two bins' nearest training values, as CART does.
    func threshold(feature f: Int, leftBin: Int, rightBin: Int) -> Double {
        let a = binHigh[f][leftBin], b = binLow[f][rightBin]
        let t = a / 2 + b / 2
        return (t < b && t >= a) ? t : a
    }

    /// Bins column `f` of `x`: one code per row, and the bins' value ranges.
    private static func bin(feature f: Int, of x: FeatureMatrix, maxBins: Int) -> BinnedColumn {
        let n = x.rows, p = x.cols
        guard n > 0 else { return BinnedColumn(codes: [], low: [], high: []) }
        var column = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { v in
            for r in 0..<n { column[r] = v[r * p + f] }
        }
        var sorted = column
        sorted.sort()
        var distinct: [Double] = []
        var counts: [Int] = []
        for v in sorted {
            if let last = distinct.last, last == v {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(v)
                counts.append(1)
            }
        }
        var low: [Double] = []
        var high: [Double] = []
        if distinct.count <= maxBins {
            low = distinct
            high = distinct
        } else {
            // Close a bin once it holds its share of the rows still to be binned.
            var start = 0
            var inBin = 0
            var remaining = n
            for j in 0..<distinct.count {
                inBin += counts[j]
                let binsLeft = maxBins - low.count
                if binsLeft > 1, Double(inBin) >= Double(remaining) / Double(binsLeft) {
                    low.append(distinct[start])
                    high.append(distinct[j])
                    remaining -= inBin
                    inBin = 0
                    start = j + 1
                }
            }
            if start < distinct.count {
                low.append(distinct[start])
                high.append(distinct[distinct.count - 1])
            }
        }
        var out = [UInt8](repeating: 0, count: n)
        high.withUnsafeBufferPointer { h in
            for r in 0..<n {
                // First bin whose largest value is >= the row's value.
                let v = column[r]
                var lo = 0, hi = h.count - 1
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if h[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                out[r] = UInt8(lo)
            }
        }
        return BinnedColumn(codes: out, low: low, high: high)
    }
}

/// One binned feature: a code per row, and the smallest and largest training value of each bin.
struct BinnedColumn: Sendable {
    var codes: [UInt8]
    var low: [Double]
    var high: [Double]
}
