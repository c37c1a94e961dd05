/// Locale-free number parsing straight from bytes.
///
/// Accepted syntax (after trimming spaces and tabs): optional `+`/`-`, digits with an optional
/// `.` and fraction (`1.`, `.5` accepted), optional exponent `e`/`E` with optional sign and at least
/// one digit. No thousands separators, no decimal comma, no hex, and no `inf`/`nan` words. A value
/// that overflows to infinity is rejected. An *integer* is a value written without `.` or exponent.
public enum CSVNumber {
    /// Exact powers of ten representable in a `Double` (10^0 ... 10^22); literal, so statically initialised.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses `text` (trimmed of spaces and tabs); nil when it is not a finite number.
    public static func parse(_ text: String) -> (value: Double, isInteger: Bool)? {
        CSVCell.withTrimmedBytes(text) { parse($0, $1) } ?? nil
    }

    /// Parses the `count` bytes at `p` (already trimmed); nil when they are not a finite number.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> (value: Double, isInteger: Bool)? {
        guard let n = parsePrefix(p, count), n.length == count else { return nil }
        return (n.value, n.isInteger)
    }

    /// Parses the number at the start of the `count` bytes at `p` and says how many bytes it took;
    /// nil when they do not start with a finite number (or the exponent has no digits).
    ///
    /// Up to 19 digits with a decimal exponent within ±22 and a mantissa ≤ 2^53 take an exact fast
    /// path (one correctly rounded multiply or divide); anything else falls back to the standard
    /// library's correctly rounded parser. Integer zero is `+0.0`.
    @inline(__always)
    static func parsePrefix(_ p: UnsafePointer<UInt8>, _ count: Int) -> (value: Double, isInteger: Bool, length: Int)? {
        guard count > 0 else { return nil }
        var i = 0
        var negative = false
        let first = p[0]
        if first == UInt8(ascii: "-") { negative = true; i = 1 } else if first == UInt8(ascii: "+") { i = 1 }
        // Every digit goes into the mantissa; more than 19 digits (overflow) take the slow path.
        var mantissa: UInt64 = 0
        let integerStart = i
        accumulateDigits(p, count, &i, &mantissa)
        var digits = i - integerStart
        var exponent = 0
        var isInteger = true
        if i < count && p[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            let fractionStart = i
            accumulateDigits(p, count, &i, &mantissa)
            exponent = fractionStart - i
            digits += i - fractionStart
        }
        guard digits > 0 else { return nil }
        if i < count && p[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            var expNegative = false
            if i < count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var expValue = 0
            let expStart = i
            while i < count {
                let d = p[i] &- 48
                if d > 9 { break }
                if expValue < 100_000 { expValue = expValue &* 10 &+ Int(d) }
                i += 1
            }
            guard i > expStart else { return nil }
            exponent += expNegative ? -expValue : expValue
        }
        if digits <= 19 {
            if mantissa == 0 { return (negative && !isInteger ? -0.0 : 0.0, isInteger, i) }
            if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
                var v = Double(mantissa)
                if exponent >= 0 { v *= powersOfTen[exponent] } else { v /= powersOfTen[-exponent] }
                return (negative ? -v : v, isInteger, i)
            }
        }
        guard let v = slowParse(p, i) else { return nil }
        return (v, isInteger, i)
    }

    /// 10^k for k = 0...8.
    static let integerPowersOfTen: [UInt64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// Appends the decimal digits at `p[i...]` to `mantissa` (wrapping past 19 digits; the caller
    /// counts digits) and moves `i` past them. Eight bytes at a time while eight are readable.
    @inline(__always)
    static func accumulateDigits(_ p: UnsafePointer<UInt8>, _ count: Int, _ i: inout Int, _ mantissa: inout UInt64) {
        let raw = UnsafeRawPointer(p)
        while i + 8 <= count {
            // Byte j of `d` is the digit value of p[i + j] when that byte is '0'...'9'.
            let d = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x3030_3030_3030_3030
            // High bit of each byte set when that byte is not a digit (d >= 10). Adding 0x76 can
            // carry only out of a byte that is already flagged, into later bytes, which don't count.
            let nonDigit = ((d &+ 0x7676_7676_7676_7676) | d) & 0x8080_8080_8080_8080
            if nonDigit == 0 {
                mantissa = mantissa &* 100_000_000 &+ combineEightDigits(d)
                i += 8
                continue
            }
            let k = nonDigit.trailingZeroBitCount >> 3
            if k > 0 {
                // Keep the k digits, moved to the top: the zero bytes below act as leading zeros.
                mantissa = mantissa &* integerPowersOfTen[k] &+ combineEightDigits(d << UInt64(64 - 8 * k))
                i += k
            }
            return
        }
        while i < count {
            let d = p[i] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
    }

    /// The value of eight digit values packed in a word, first digit in the lowest byte:
    /// pairs, then quads, then the whole, each step one multiply and shift.
    @inline(__always)
    static func combineEightDigits(_ digits: UInt64) -> UInt64 {
        var v = digits
        v = ((v &* (1 + (10 << 8))) >> 8) & 0x00FF_00FF_00FF_00FF
        v = ((v &* (1 + (100 << 16))) >> 16) & 0x0000_FFFF_0000_FFFF
        v = (v &* (1 + (10000 << 32))) >> 32
        return v
    }

    /// Correctly rounded fallback for long mantissas and large exponents (syntax already checked).
    @inline(never)
    static func slowParse(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }
}
