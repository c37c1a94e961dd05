/// Distribution-free shift estimates and confidence intervals from ranks.
///
/// - Two independent samples: the Hodges–Lehmann estimate (median of the m·n differences) with the
///   Moses interval, which is the set of shifts the two-sided Mann–Whitney test does not reject.
/// - Paired differences: the median of the Walsh averages with the interval the Wilcoxon
///   signed-rank test does not reject.
///
/// Critical ranks use the normal approximation (fine from about 6 observations per side). Ties
/// make the intervals slightly conservative. The test, the estimate and the interval come from the
/// same ranks, so "significant" and "the interval excludes 0" always agree.
public enum RankStatistics {
    /// Above this many differences, samples are thinned by averaging neighbours (batch means) to
    /// bound the work; batches of neighbouring intervals are, if anything, more independent.
    static let maxDifferences = 1_500_000

    /// The shift `new − base` with its two-sided interval at `confidence`; nil when the samples are
    /// too small for any interval at that level (then nothing can be concluded).
    public static func twoSample(base: [Double], new: [Double], confidence: Double) -> ShiftEstimate? {
        var x = base
        var y = new
        while x.count * y.count > maxDifferences {
            if x.count >= y.count { x = thinned(x) } else { y = thinned(y) }
        }
        let m = Double(x.count), n = Double(y.count)
        guard x.count >= 2, y.count >= 2 else { return nil }
        let z = NormalQuantile.of(1 - (1 - confidence) / 2)
        let c = Int((m * n / 2 - z * (m * n * (m + n + 1) / 12).squareRoot()).rounded(.down))
        guard c >= 1 else { return nil }
        var d: [Double] = []
        d.reserveCapacity(x.count * y.count)
        for b in y { for a in x { d.append(b - a) } }
        d.sort()
        return ShiftEstimate(estimate: median(sorted: d), lower: d[c - 1], upper: d[d.count - c])
    }

    /// The shift of paired differences `d` (new − base per pair) with its interval at `confidence`;
    /// nil when there are too few pairs.
    public static func paired(_ differences: [Double], confidence: Double) -> ShiftEstimate? {
        var d = differences
        while d.count * (d.count + 1) / 2 > maxDifferences { d = thinned(d) }
        let n = Double(d.count)
        guard d.count >= 2 else { return nil }
        let z = NormalQuantile.of(1 - (1 - confidence) / 2)
        let c = Int((n * (n + 1) / 4 - z * (n * (n + 1) * (2 * n + 1) / 24).squareRoot()).rounded(.down))
        guard c >= 1 else { return nil }
        var w: [Double] = []
        w.reserveCapacity(d.count * (d.count + 1) / 2)
        for i in d.indices { for j in i..<d.count { w.append((d[i] + d[j]) / 2) } }
        w.sort()
        return ShiftEstimate(estimate: median(sorted: w), lower: w[c - 1], upper: w[w.count - c])
    }

    static func median(sorted v: [Double]) -> Double {
        let k = v.count / 2
        return v.count % 2 == 1 ? v[k] : (v[k - 1] + v[k]) / 2
    }

    static func thinned(_ v: [Double]) -> [Double] {
        stride(from: 0, to: v.count - 1, by: 2).map { (v[$0] + v[$0 + 1]) / 2 }
    }
}
