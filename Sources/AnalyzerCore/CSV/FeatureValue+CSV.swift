extension FeatureValue {
    /// Interprets one raw CSV field with ``CSVDataset``'s value rules: trimmed of spaces and tabs,
    /// empty or an NA token (``MissingValues``) is `.missing`, a finite number is `.number`,
    /// true/false/yes/no (any case) is `.bool`, anything else is `.string` (trimmed).
    public init(csvField: String) {
        var text = csvField
        self = text.withUTF8 { buf -> FeatureValue in
            guard let base = buf.baseAddress else { return .missing }
            var s = 0, e = buf.count
            while s < e, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
            while e > s, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
            let p = base + s, n = e - s
            if MissingValues.isMissing(p, n) { return .missing }
            if let parsed = CSVNumber.parse(p, n) { return .number(parsed.value) }
            let bytes = UnsafeBufferPointer(start: p, count: n)
            if let b = ColumnInference.booleanValue(bytes) { return .bool(b) }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
    }
}
