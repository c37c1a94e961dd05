/// Timestamps as access logs write them, to seconds since 1970: Apache/nginx `10/Oct/2000:13:55:36 -0700`
/// (optionally in brackets), ISO 8601 (`2026-12-03T10:20:51.123Z`, `+01:00`, a space for `T`), and
/// epoch numbers (seconds, or milliseconds/microseconds when that large).
public enum LogTimestamp {
    /// Seconds since 1970, or nil when `text` is none of the forms above.
    public static func parse(_ text: Substring) -> Double? {
        var s = text
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        if s.first == "[" && s.last == "]" { s = s.dropFirst().dropLast() }
        guard let first = s.first else { return nil }
        if let value = Double(s), first.isNumber {
            return epoch(value)
        }
        let bytes = Array(s.utf8)
        if bytes.count >= 20, bytes[2] == UInt8(ascii: "/") { return common(bytes) }
        if bytes.count >= 19, bytes[4] == UInt8(ascii: "-") { return iso8601(bytes) }
        return nil
    }

    /// An epoch number: seconds, or milliseconds / microseconds / nanoseconds when it is that large.
    public static func epoch(_ value: Double) -> Double? {
        guard value.isFinite, value >= 0 else { return nil }
        let seconds = value > 1e17 ? value / 1e9 : value > 1e14 ? value / 1e6 : value > 1e11 ? value / 1e3 : value
        // Past the year 9999 (`1e300`) it is no time: such a span overflowed the replay's arithmetic.
        return seconds <= latestEpoch ? seconds : nil
    }

    /// 9999-12-31T23:59:59Z, the latest time a log line may carry.
    static let latestEpoch: Double = 253_402_300_799

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `dd/MMM/yyyy:HH:mm:ss[.fff] ±hhmm`.
    static func common(_ b: [UInt8]) -> Double? {
        guard let day = number(b, 0, 2), b[2] == UInt8(ascii: "/"), b[6] == UInt8(ascii: "/"),
              let month = months.firstIndex(of: String(decoding: b[3..<6], as: UTF8.self)),
              let year = number(b, 7, 4), b[11] == UInt8(ascii: ":"),
              let hour = number(b, 12, 2), let minute = number(b, 15, 2), let second = number(b, 18, 2)
        else { return nil }
        var i = 20
        let fraction = Self.fraction(b, &i)
        var offset = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: " "), let zone = zoneOffset(b, i + 1) else { return nil }
            offset = zone.seconds
            guard zone.end == b.count else { return nil }
        }
        return seconds(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second)
            .map { $0 - Double(offset) + fraction }
    }

    /// `yyyy-MM-dd(T| )HH:mm:ss[.fff][Z|±hh:mm|±hhmm]` (no zone: UTC).
    static func iso8601(_ b: [UInt8]) -> Double? {
        guard let year = number(b, 0, 4), b[4] == UInt8(ascii: "-"), let month = number(b, 5, 2),
              b[7] == UInt8(ascii: "-"), let day = number(b, 8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "t"),
              let hour = number(b, 11, 2), b[13] == UInt8(ascii: ":"), let minute = number(b, 14, 2),
              b[16] == UInt8(ascii: ":"), let second = number(b, 17, 2)
        else { return nil }
        var i = 19
        let fraction = Self.fraction(b, &i)
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                guard i + 1 == b.count else { return nil }
            } else {
                guard let zone = zoneOffset(b, i), zone.end == b.count else { return nil }
                offset = zone.seconds
            }
        }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .map { $0 - Double(offset) + fraction }
    }

    private static func fraction(_ b: [UInt8], _ i: inout Int) -> Double {
        guard i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") else { return 0 }
        i += 1
        var value = 0.0
        var scale = 0.1
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            value += Double(b[i] - 48) * scale
            scale /= 10
            i += 1
        }
        return value
    }

    /// `±hhmm` or `±hh:mm` at `i`: the offset east of UTC in seconds, and where it ends.
    private static func zoneOffset(_ b: [UInt8], _ i: Int) -> (seconds: Int, end: Int)? {
        guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let h = number(b, i + 1, 2)
        else { return nil }
        let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
        var j = i + 3
        if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
        guard let m = number(b, j, 2) else { return nil }
        return (sign * (h * 3600 + m * 60), j + 2)
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= b.count else { return nil }
        var n = 0
        for k in start..<(start + count) {
            let c = b[k]
            guard c >= 48, c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }

    /// Seconds since 1970 of a UTC civil time (Howard Hinnant's days-from-civil).
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Double? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second)
    }
}
