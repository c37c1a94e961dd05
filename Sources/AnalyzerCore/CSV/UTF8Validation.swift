/// Fast UTF-8 validation over raw bytes: an ASCII scan eight bytes at a time, then a full check
/// (overlongs, surrogates and code points above U+10FFFF rejected) only where non-ASCII bytes occur.
enum UTF8Validation {
    /// Offset of the first byte of the first invalid sequence in `from..<to`, or nil when valid.
    static func firstInvalidOffset(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        let raw = UnsafeRawPointer(base)
        while i < to {
            // ASCII fast path, eight bytes per step.
            while i + 8 <= to && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < to else { break }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF  // allowed range of the second byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= to else { return i }
            let b1 = base[i + 1]
            guard b1 >= lower && b1 <= upper else { return i }
            var k = 2
            while k < length {
                guard base[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += length
        }
        return nil
    }
}
