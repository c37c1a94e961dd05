/// Summary statistics of one column.
///
/// Number columns fill `min`, `max`, `mean` and `std` (sample standard deviation, ddof = 1, as
/// pandas' `describe`; nil with fewer than two values) over present values, and leave `topValues`
/// empty. String columns (boolean, categorical, text) leave the numbers nil and list up to
/// ``topValueLimit`` most frequent values, by count descending, ties by value ascending.
///
/// JSON: `{"min": 4.3, "max": 7.9, "mean": 5.84, "std": 0.83, "top_values": []}` (nil numbers omitted).
public struct ColumnSummary: Codable, Sendable, Equatable {
    public var min: Double?
    public var max: Double?
    public var mean: Double?
    public var std: Double?
    public var topValues: [ValueCount]

    /// How many values ``topValues`` lists at most.
    public static let topValueLimit = 10

    public init(min: Double? = nil, max: Double? = nil, mean: Double? = nil, std: Double? = nil, topValues: [ValueCount] = []) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
        self.topValues = topValues
    }

    /// Summary of numbers, NaN meaning missing. Non-finite results (overflow) are reported as nil.
    public static func numeric(_ values: [Double]) -> ColumnSummary {
        values.withUnsafeBufferPointer { numeric($0) }
    }

    static func numeric(_ values: UnsafeBufferPointer<Double>) -> ColumnSummary {
        var n = 0
        var lo = Double.infinity, hi = -Double.infinity
        var sum = 0.0
        for v in values where !v.isNaN {
            n += 1
            sum += v
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        guard n > 0 else { return ColumnSummary() }
        let mean = sum / Double(n)
        var std: Double? = nil
        if n > 1 {
            // Second pass on deviations: accurate where sum of squares would cancel.
            var squares = 0.0
            var drift = 0.0
            for v in values where !v.isNaN {
                let d = v - mean
                squares += d * d
                drift += d
            }
            let variance = (squares - drift * drift / Double(n)) / Double(n - 1)
            std = Swift.max(variance, 0).squareRoot()
        }
        func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        return ColumnSummary(min: lo, max: hi, mean: finite(mean), std: finite(std))
    }

    /// Summary of string values from their counts: the most frequent ``topValueLimit`` values.
    public static func categories(_ counts: [ValueCount]) -> ColumnSummary {
        ColumnSummary(topValues: top(counts, limit: topValueLimit))
    }

    /// The `limit` largest counts, ties broken by value ascending, without sorting everything.
    static func top(_ counts: [ValueCount], limit: Int) -> [ValueCount] {
        func before(_ a: ValueCount, _ b: ValueCount) -> Bool {
            a.count != b.count ? a.count > b.count : a.value < b.value
        }
        var best: [ValueCount] = []
        best.reserveCapacity(limit + 1)
        for c in counts {
            if best.count == limit, let last = best.last, !before(c, last) { continue }
            var i = best.count
            while i > 0 && before(c, best[i - 1]) { i -= 1 }
            best.insert(c, at: i)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    enum CodingKeys: String, CodingKey {
        case min, max, mean, std
        case topValues = "top_values"
    }
}
