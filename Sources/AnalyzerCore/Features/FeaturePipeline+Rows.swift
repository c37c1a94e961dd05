/// `generate_features` for prediction rows (JSON objects or CSV batch lines), with validation.
extension FeaturePipeline {
    /// Validates and encodes `rows` into `buffer` (row-major, `rows.count × width` values),
    /// reusing its capacity. Throws for the first invalid field: rows in order; within a row,
    /// columns in model order, then unknown fields by name.
    public func generateFeatures(rows: [[String: FeatureValue]], into buffer: inout [Double]) throws(PredictionError) {
        let stride = width
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: rows.count * stride))
        var failure: PredictionError?
        buffer.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            for (r, row) in rows.enumerated() {
                do throws(PredictionError) {
                    try encodeRow(row, index: r, into: UnsafeMutableBufferPointer(start: base + r * stride, count: stride))
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }

    /// Validates and encodes one row into `out` (at least ``width`` values). `index` is the row's
    /// position in a batch (reported in errors), nil for a single row.
    ///
    /// Values: numbers for numeric columns (text is parsed, so CSV strings work; a missing-value
    /// token or `null` takes the training median); text, numbers (`5` for 5.0) or booleans for
    /// categorical columns; `true/false/yes/no` for boolean columns. A field for the target or a
    /// dropped column is ignored; any other field not in the model is an error.
    public func encodeRow(
        _ row: [String: FeatureValue], index: Int?, into out: UnsafeMutableBufferPointer<Double>
    ) throws(PredictionError) {
        precondition(out.count >= width, "generate_features: output buffer too small")
        for (c, column) in columns.enumerated() {
            guard let value = row[column.name] else {
                throw PredictionError(code: .missingField, field: column.name, row: index, detail: "is missing")
            }
            switch column.encoding {
            case .standardized(let median, let mean, let scale):
                let x = try Self.number(value, column: column.name, index: index) ?? median
                out[column.offset] = (x - mean) / scale
            case .oneHot(let levels, let missingLevel):
                for k in 0..<(levels.count + (missingLevel ? 1 : 0)) { out[column.offset + k] = 0 }
                if let key = try Self.category(value, column: column, index: index) {
                    if let k = levelIndex[c][key] { out[column.offset + k] = 1 }
                } else if missingLevel {
                    out[column.offset + levels.count] = 1
                }
            }
        }
        // Every column was found, so more keys than columns means extra fields.
        if row.count > columns.count {
            let unknown = row.keys.filter { !knownNames.contains($0) }
            if let first = unknown.min() {
                throw PredictionError(
                    code: .unknownField, field: first, row: index, detail: "is not a column of the training data")
            }
        }
    }

    /// The number in `value`, or nil for a missing value.
    @inline(__always)
    static func number(_ value: FeatureValue, column: String, index: Int?) throws(PredictionError) -> Double? {
        switch value {
        case .number(let x):
            guard x.isFinite else {
                throw PredictionError(code: .nonFinite, field: column, row: index, detail: "must be a finite number, got \(x)")
            }
            return x
        case .string(let text):
            if let parsed = CSVNumber.parse(text) { return parsed.value }
            if MissingValues.isMissing(text) { return nil }
            let trimmed = text.trimmingSpaces
            if let x = Double(trimmed), !x.isFinite {
                throw PredictionError(code: .nonFinite, field: column, row: index, detail: "must be a finite number, got \"\(trimmed)\"")
            }
            throw PredictionError(code: .invalidType, field: column, row: index, detail: "must be a number, got \"\(text)\"")
        case .bool(let b):
            throw PredictionError(code: .invalidType, field: column, row: index, detail: "must be a number, got \(b)")
        case .missing:
            return nil
        }
    }

    /// The category in `value`, or nil for a missing value.
    @inline(__always)
    static func category(_ value: FeatureValue, column: FeatureColumn, index: Int?) throws(PredictionError) -> String? {
        switch value {
        case .string(let text):
            if MissingValues.isMissing(text) { return nil }
            guard column.type == .boolean else { return text }
            switch text.trimmingSpaces.lowercased() {
            case "true", "yes": return "true"
            case "false", "no": return "false"
            default:
                throw PredictionError(
                    code: .invalidType, field: column.name, row: index, detail: "must be true or false, got \"\(text)\"")
            }
        case .number(let x):
            guard x.isFinite else {
                throw PredictionError(code: .nonFinite, field: column.name, row: index, detail: "must be finite, got \(x)")
            }
            guard column.type != .boolean else {
                throw PredictionError(code: .invalidType, field: column.name, row: index, detail: "must be true or false, got \(x)")
            }
            return categoryString(x)
        case .bool(let b):
            return b ? "true" : "false"
        case .missing:
            return nil
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
