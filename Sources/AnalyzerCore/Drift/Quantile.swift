/// Sample quantiles exactly as numpy computes them by default (`np.quantile(x, q)`,
/// `method="linear"`, Hyndman & Fan type 7), so that bin edges match a Python reference bit for bit.
public enum Quantile {
    /// The `q`-quantile (0…1) of `sorted` (ascending, no NaN, not empty): the virtual index
    /// `(n − 1)·q` is split into `floor` and fraction `g`, and the neighbours are blended with
    /// numpy's `_lerp` (`a + (b − a)·g`, or `b − (b − a)·(1 − g)` when `g ≥ 0.5`).
    public static func linear(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "Quantile: empty sample")
        let n = sorted.count
        let virtualIndex = Double(n - 1) * q
        let below = virtualIndex.rounded(.down)
        let lower = min(max(Int(below), 0), n - 1)
        let upper = min(lower + 1, n - 1)
        let gamma = virtualIndex - below
        let a = sorted[lower], b = sorted[upper]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// The deciles' inner edges of a sample: the 10 %, 20 % … 90 % quantiles (levels `k / 10`),
    /// with repeated values merged (so a sample with ties gives fewer than 9 edges). NaN values are
    /// ignored; an empty sample gives no edge.
    public static func innerDecileEdges(_ sample: [Double]) -> [Double] {
        let sorted = sample.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return [] }
        var edges: [Double] = []
        for k in 1...9 {
            let edge = linear(sorted, Double(k) / 10)
            if edges.last != edge { edges.append(edge) }
        }
        return edges
    }
}
