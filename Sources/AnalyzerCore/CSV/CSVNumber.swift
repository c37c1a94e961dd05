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
        var text = text
        return text.withUTF8 { buf in
            guard let base = buf.baseAddress else { return nil }
            var s = 0, e = buf.count
            while s < e, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
            while e > s, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
            return parse(base + s, e - s)
        }
    }

    /// Parses the `count` bytes at `p` (already trimmed); nil when they are not a finite number.
    ///
    /// Up to 19 digits with a decimal exponent within ±22 and a mantissa ≤ 2^53 take an exact fast
    /// path (one correctly rounded multiply or divide); anything else falls back to the standard
    /// library's correctly rounded parser.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> (value: Double, isInteger: Bool)? {
        guard count > 0 else { return nil }
        var i = 0
        var negative = false
        let first = p[0]
        if first == UInt8(ascii: "-") { negative = true; i = 1 } else if first == UInt8(ascii: "+") { i = 1 }
        // Every digit goes into the mantissa; more than 19 digits (overflow) take the slow path.
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < count {
            let d = p[i] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - integerStart
        var exponent = 0
        var isInteger = true
        if i < count && p[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            let fractionStart = i
            while i < count {
                let d = p[i] &- 48
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
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
        guard i == count else { return nil }
        if digits <= 19 {
            if mantissa == 0 { return (negative && !isInteger ? -0.0 : 0.0, isInteger) }
            if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
                var v = Double(mantissa)
                if exponent >= 0 { v *= powersOfTen[exponent] } else { v /= powersOfTen[-exponent] }
                return (negative ? -v : v, isInteger)
            }
        }
        return slowParse(p, count, isInteger: isInteger)
    }

    /// Correctly rounded fallback for long mantissas and large exponents (syntax already checked).
    @inline(never)
    static func slowParse(_ p: UnsafePointer<UInt8>, _ count: Int, isInteger: Bool) -> (value: Double, isInteger: Bool)? {
        let text = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return (v, isInteger)
    }
}
