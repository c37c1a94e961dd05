extension FeatureValue {
    /// Interprets one raw CSV field with ``CSVDataset``'s value rules: trimmed of spaces and tabs,
    /// empty or an NA token (``MissingValues``) is `.missing`, a finite number is `.number`,
    /// true/false/yes/no (any case) is `.bool`, anything else is `.string` (trimmed).
    public init(csvField: String) {
        self = CSVCell.withTrimmedBytes(csvField) { p, n -> FeatureValue in
            if MissingValues.isMissing(p, n) { return .missing }
            if let parsed = CSVNumber.parse(p, n) { return .number(parsed.value) }
            let bytes = UnsafeBufferPointer(start: p, count: n)
            if let b = ColumnInference.booleanValue(bytes) { return .bool(b) }
            return .string(String(decoding: bytes, as: UTF8.self))
        } ?? .missing
    }
}
