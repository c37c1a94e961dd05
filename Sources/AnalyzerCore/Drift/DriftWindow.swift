/// A sliding window of a model's recent prediction inputs, binned against its training reference:
/// at most `capacity` rows, and (with `maxAge`) none older than `maxAge` seconds. Bin counts are kept
/// up to date as rows enter and leave, so a report costs O(bins), not O(window).
///
/// Not thread-safe: the service wraps one per model in a lock. Times are passed in (seconds, any
/// monotonic origin), which keeps the window deterministic under test.
public struct DriftWindow: Sendable {
    /// Live categories a categorical feature tracks by name beyond its training ones; later unseen
    /// categories share one bin, ``otherCategory``.
    public static let maxUnseenCategories = 1000
    /// The bin of unseen categories past ``maxUnseenCategories``.
    public static let otherCategory = "<other>"

    /// The training reference.
    public let reference: ReferenceDistribution
    /// Most rows kept.
    public let capacity: Int
    /// Oldest a row may be, in seconds; nil keeps rows until `capacity` pushes them out.
    public let maxAge: Double?

    /// Per feature: the pipeline column (for parsing values as the model does).
    private let columns: [FeatureColumn]
    /// Ring buffer: entry time, and `featureCount` bin codes per entry (-1 = missing).
    private var times: [Double] = []
    private var codes: [Int32] = []
    private var start = 0
    /// Rows in the window.
    public private(set) var count = 0
    /// Per feature, per bin code: live rows.
    private var counts: [[Int]]
    /// Per categorical feature: category → code (training categories first, then unseen ones).
    private var categoryCodes: [[String: Int32]]
    private var categoryNames: [[String]]

    /// An empty window for a model's `reference`; `columns` are its pipeline's input columns.
    public init(reference: ReferenceDistribution, columns: [FeatureColumn], capacity: Int, maxAge: Double? = nil) {
        precondition(capacity > 0, "DriftWindow: capacity must be positive")
        self.reference = reference
        self.capacity = capacity
        self.maxAge = maxAge
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.columns = reference.features.map { feature in
            byName[feature.name]
                ?? FeatureColumn(
                    name: feature.name, type: feature.isNumeric ? .numeric : .categorical,
                    encoding: feature.isNumeric ? .standardized(median: 0, mean: 0, scale: 1) : .oneHot(levels: [], missingLevel: false),
                    offset: 0)
        }
        counts = reference.features.map { [Int](repeating: 0, count: $0.expectedCounts.count) }
        categoryCodes = reference.features.map { feature in
            guard case .categorical(let categories) = feature.bins else { return [:] }
            return Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, Int32($0)) })
        }
        categoryNames = reference.features.map { feature in
            guard case .categorical(let categories) = feature.bins else { return [] }
            return categories
        }
    }

    private var featureCount: Int { reference.features.count }

    /// Adds prediction input rows seen at `time`; with more rows than `capacity`, only the last
    /// `capacity` matter and only they are binned. Values the model would refuse count as missing.
    public mutating func record(_ rows: [[String: FeatureValue]], at time: Double) {
        for row in rows.suffix(capacity) { record(row, at: time) }
    }

    /// Adds one row seen at `time`, pushing out the oldest row when full.
    public mutating func record(_ row: [String: FeatureValue], at time: Double) {
        let width = featureCount
        if times.isEmpty {
            times = [Double](repeating: 0, count: capacity)
            codes = [Int32](repeating: -1, count: capacity * width)
        }
        if count == capacity { removeOldest() }
        let slot = (start + count) % capacity
        times[slot] = time
        for f in 0..<width {
            let code = self.code(of: row[columns[f].name], feature: f)
            codes[slot * width + f] = code
            if code >= 0 { counts[f][Int(code)] += 1 }
        }
        count += 1
    }

    /// Drops rows older than `maxAge` at `now` (no-op without an age limit).
    public mutating func expire(now: Double) {
        guard let maxAge else { return }
        while count > 0, now - times[start] > maxAge { removeOldest() }
    }

    /// Forgets every row.
    public mutating func removeAll() {
        while count > 0 { removeOldest() }
    }

    /// The drift of the rows in the window now (call ``expire(now:)`` first to honour the age limit).
    public func report() -> DriftReport {
        var features: [FeatureDrift] = []
        for (f, feature) in reference.features.enumerated() {
            let known = feature.expectedCounts.count
            let unseen = known < counts[f].count
                ? (known..<counts[f].count).map { (categoryNames[f][$0], counts[f][$0]) } : []
            features.append(FeatureDrift(reference: feature, actualCounts: Array(counts[f].prefix(known)), unseen: unseen))
        }
        return DriftReport(windowSize: count, windowCapacity: capacity, windowMaxAgeSeconds: maxAge, features: features)
    }

    private mutating func removeOldest() {
        let width = featureCount
        for f in 0..<width {
            let code = codes[start * width + f]
            if code >= 0 { counts[f][Int(code)] -= 1 }
        }
        start = (start + 1) % capacity
        count -= 1
    }

    /// The bin code of a value for feature `f`; -1 for a missing or unusable value.
    private mutating func code(of value: FeatureValue?, feature f: Int) -> Int32 {
        guard let value else { return -1 }
        switch reference.features[f].bins {
        case .numeric(let edges):
            guard let x = try? FeaturePipeline.number(value, column: columns[f].name, index: nil), !x.isNaN else { return -1 }
            return Int32(FeatureReference.binIndex(x, edges: edges))
        case .categorical:
            guard let category = (try? FeaturePipeline.category(value, column: columns[f], index: nil)) ?? nil else { return -1 }
            if let code = categoryCodes[f][category] { return code }
            let unseen = categoryNames[f].count - reference.features[f].expectedCounts.count
            let name = unseen < Self.maxUnseenCategories ? category : Self.otherCategory
            if let code = categoryCodes[f][name] { return code }
            let code = Int32(categoryNames[f].count)
            categoryCodes[f][name] = code
            categoryNames[f].append(name)
            counts[f].append(0)
            return code
        }
    }
}
