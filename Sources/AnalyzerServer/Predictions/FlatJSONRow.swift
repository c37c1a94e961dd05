import AnalyzerCore

/// A fast reader for the common prediction body: one flat JSON object whose values are numbers,
/// plain strings, booleans or null — `{"sepal length (cm)": 5.1, …}`. It gives exactly what
/// `JSONDecoder().decode([String: FeatureValue].self, …)` gives (JSONDecoder was the largest cost of
/// a prediction left after the prediction log and the response), and declines (nil) anything else
/// — escapes, nesting, duplicate keys, numbers JSON does not allow or a Double cannot hold, invalid
/// UTF-8 — which the caller then hands to JSONDecoder, errors and all.
enum FlatJSONRow {
    ///
    /// `keys` (the model's column names) are reused for the keys that equal one of them, so the
    /// usual row allocates no key strings; up to 64 are compared, byte for byte.
    static func parse(_ bytes: UnsafeRawBufferPointer, keys: [String] = []) -> [String: FeatureValue]? {
        var reader = Reader(bytes: bytes, keys: keys.count <= 64 ? keys : [])
        var row: [String: FeatureValue] = [:]
        reader.skipSpace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipSpace()
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                reader.skipSpace()
                guard let key = reader.string(interning: true) else { return nil }
                reader.skipSpace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipSpace()
                guard let value = reader.value(), row.updateValue(value, forKey: key) == nil else { return nil }
                reader.skipSpace()
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        reader.skipSpace()
        return reader.atEnd ? row : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let keys: [String]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skipSpace() {
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func take(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for i in 0..<count where bytes[index + i] != word.utf8Start[i] { return false }
            index += count
            return true
        }

        /// A string without escapes or control characters, valid UTF-8; with `interning`, one of
        /// `keys` when it has the same bytes.
        mutating func string(interning: Bool = false) -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] < 0x20 || bytes[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            index += 1
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1])
            if interning {
                for key in keys where key.utf8.count == text.count {
                    if key.utf8.withContiguousStorageIfAvailable({ $0.elementsEqual(text) }) == true { return key }
                }
            }
            return String(validating: text, as: UTF8.self)
        }

        mutating func value() -> FeatureValue? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string().map(FeatureValue.init(jsonString:))
            case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return take("null") ? .missing : nil
            default: return number().map(FeatureValue.number)
            }
        }

        /// A number in JSON's grammar that a Double holds (finite).
        mutating func number() -> Double? {
            let start = index
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                if digits() > 0 { return nil }  // no leading zeros
            } else if digits() == 0 {
                return nil
            }
            if take(UInt8(ascii: ".")), digits() == 0 { return nil }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                if digits() == 0 { return nil }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }

        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
    }
}
