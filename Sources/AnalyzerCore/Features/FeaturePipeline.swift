/// `generate_features`: the fitted transformation from table columns to the model's numeric inputs.
///
/// Fitted on the training rows only, stored with the model, and applied identically to evaluation
/// rows (``generateFeatures(_:)``) and prediction rows (``generateFeatures(rows:into:)``):
/// - numeric and integer columns: median imputation, then standardisation (see ``FeatureEncoding``);
/// - boolean, categorical and text columns: one-hot over the training categories plus a "missing"
///   level; unknown categories encode as all zeros;
/// - empty columns, columns with no value in the training rows, and string columns with more than
///   `maxLevels` distinct values are dropped (see ``dropped``).
public struct FeaturePipeline: Sendable, Equatable, Codable {
    /// Default limit on distinct values of a string column.
    public static let defaultMaxLevels = 100

    /// The target column (never a feature).
    public let target: String
    /// The columns used, in table order, with their encodings.
    public let columns: [FeatureColumn]
    /// The columns not used, with the reason.
    public let dropped: [DroppedColumn]
    /// Number of output features per row.
    public let width: Int

    /// Per column: level → index within its one-hot block (empty for numeric columns).
    let levelIndex: [[String: Int]]
    /// Names a prediction row may carry without error: features, the target and dropped columns.
    let knownNames: Set<String>
    /// The input columns' names, in order (a request parser reuses these strings for its keys).
    public let columnNames: [String]

    /// A pipeline over already-fitted columns (offsets must be consecutive from 0).
    public init(target: String, columns: [FeatureColumn], dropped: [DroppedColumn]) {
        self.target = target
        self.columns = columns
        self.dropped = dropped
        self.width = columns.reduce(0) { $0 + $1.width }
        self.levelIndex = columns.map { column in
            guard let levels = column.levels else { return [:] }
            return Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        }
        self.knownNames = Set(columns.map(\.name) + dropped.map(\.name) + [target])
        self.columnNames = columns.map(\.name)
    }

    /// Names of the output features: the column name for numeric columns, `name=level` for one-hot
    /// columns and `name=<missing>` for the missing level.
    public var featureNames: [String] {
        columns.flatMap { column -> [String] in
            switch column.encoding {
            case .standardized: [column.name]
            case .oneHot(let levels, let missing):
                levels.map { "\(column.name)=\($0)" } + (missing ? ["\(column.name)=<missing>"] : [])
            }
        }
    }

    /// Fits the pipeline on `table` (the training rows), ignoring the `target` column.
    public static func fit(
        table: Table, target: String, maxLevels: Int = defaultMaxLevels
    ) throws(TrainingError) -> FeaturePipeline {
        guard table.column(named: target) != nil else {
            throw TrainingError(.unknownTarget, "generate_features: target column '\(target)' is not in the table")
        }
        var columns: [FeatureColumn] = []
        var dropped: [DroppedColumn] = []
        var offset = 0
        for column in table.columns where column.name != target {
            if column.type == .empty {
                dropped.append(DroppedColumn(name: column.name, reason: "empty column"))
                continue
            }
            let encoding: FeatureEncoding
            switch column.data {
            case .numbers(let values):
                guard let fitted = Self.fitStandardization(values) else {
                    dropped.append(DroppedColumn(name: column.name, reason: "no values in the training rows"))
                    continue
                }
                encoding = fitted
            case .strings(let values):
                var seen = Set<String>()
                var hasMissing = false
                for value in values {
                    if let value { seen.insert(value) } else { hasMissing = true }
                }
                if seen.isEmpty {
                    dropped.append(DroppedColumn(name: column.name, reason: "no values in the training rows"))
                    continue
                }
                if seen.count > maxLevels {
                    dropped.append(DroppedColumn(
                        name: column.name,
                        reason: "\(column.type.rawValue) column with \(seen.count) distinct values (limit \(maxLevels))"))
                    continue
                }
                encoding = .oneHot(levels: seen.sorted(), missingLevel: hasMissing)
            }
            columns.append(FeatureColumn(name: column.name, type: column.type, encoding: encoding, offset: offset))
            offset += encoding.width
        }
        return FeaturePipeline(target: target, columns: columns, dropped: dropped)
    }

    /// Median, then mean and population standard deviation of the median-imputed values; nil when
    /// every value is missing.
    static func fitStandardization(_ values: [Double]) -> FeatureEncoding? {
        var present = values.filter { !$0.isNaN }
        guard !present.isEmpty else { return nil }
        present.sort()
        let mid = present.count / 2
        let median = present.count % 2 == 1 ? present[mid] : (present[mid - 1] + present[mid]) / 2
        let n = Double(values.count)
        var sum = 0.0
        for v in values { sum += v.isNaN ? median : v }
        let mean = sum / n
        var squares = 0.0
        for v in values {
            let d = (v.isNaN ? median : v) - mean
            squares += d * d
        }
        let std = (squares / n).squareRoot()
        // A constant column leaves only rounding noise in `std`: treat it as zero, like scikit-learn.
        let scale = (std == 0 || std <= 1e-12 * abs(mean) || !std.isFinite) ? 1 : std
        return .standardized(median: median, mean: mean, scale: scale)
    }

    /// `generate_features` over a whole table (training or evaluation rows): one output row per
    /// table row. Columns absent from `table` count as missing; values that do not fit the column
    /// type count as missing too (use ``generateFeatures(rows:into:)`` to validate untrusted input).
    public func generateFeatures(_ table: Table) -> FeatureMatrix {
        let n = table.rowCount
        var values = [Double](repeating: 0, count: n * width)
        let stride = width
        values.withUnsafeMutableBufferPointer { out in
            for (c, column) in columns.enumerated() {
                let data = table.column(named: column.name)?.data
                let off = column.offset
                switch column.encoding {
                case .standardized(let median, let mean, let scale):
                    for i in 0..<n {
                        var x = Double.nan
                        switch data {
                        case .numbers(let v)?: x = v[i]
                        case .strings(let s)?: x = s[i].flatMap { CSVNumber.parse($0)?.value } ?? .nan
                        case nil: break
                        }
                        if !x.isFinite { x = median }
                        out[i * stride + off] = (x - mean) / scale
                    }
                case .oneHot(let levels, let missingLevel):
                    let index = levelIndex[c]
                    for i in 0..<n {
                        var key: String?
                        switch data {
                        case .strings(let s)?: key = s[i]
                        case .numbers(let v)?: key = v[i].isFinite ? Self.categoryString(v[i]) : nil
                        case nil: key = nil
                        }
                        if let key {
                            if let k = index[key] { out[i * stride + off + k] = 1 }
                        } else if missingLevel {
                            out[i * stride + off + levels.count] = 1
                        }
                    }
                }
            }
        }
        return FeatureMatrix(rows: n, cols: width, values: values)
    }

    /// The category a number stands for: `5` for 5.0, `5.1` for 5.1.
    static func categoryString(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    // MARK: Codable (the lookup tables are rebuilt on decoding)

    enum CodingKeys: String, CodingKey { case target, columns, dropped }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            target: try c.decode(String.self, forKey: .target),
            columns: try c.decode([FeatureColumn].self, forKey: .columns),
            dropped: try c.decode([DroppedColumn].self, forKey: .dropped))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(target, forKey: .target)
        try c.encode(columns, forKey: .columns)
        try c.encode(dropped, forKey: .dropped)
    }

    public static func == (a: FeaturePipeline, b: FeaturePipeline) -> Bool {
        a.target == b.target && a.columns == b.columns && a.dropped == b.dropped
    }
}
