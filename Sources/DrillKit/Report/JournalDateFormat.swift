import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2025-03-04T10:00:14.250Z`), written and read with
/// integer arithmetic (no formatter, no locale, no time zone database), so a date survives a
/// round trip exactly to the millisecond.
enum JournalDateFormat {
    /// Broken-down UTC time.
    struct Parts: Equatable {
        var year, month, day, hour, minute, second, millisecond: Int
    }

    private static let msPerDay: Int64 = 86_400_000
    /// ±10^14 s, about three million years: far beyond any real date, well inside Int64 milliseconds.
    private static let limit = 1e14

    /// `date` in UTC, rounded to the millisecond; nil for a non-finite or absurd date.
    static func parts(_ date: Date) -> Parts? {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < limit else { return nil }
        let ms = Int64((t * 1000).rounded())
        let days = ms >= 0 ? ms / msPerDay : -((-ms + msPerDay - 1) / msPerDay)
        let inDay = Int(ms - days * msPerDay)
        let (y, m, d) = civil(fromDays: Int(days))
        return Parts(year: y, month: m, day: d, hour: inDay / 3_600_000, minute: inDay / 60_000 % 60,
                     second: inDay / 1000 % 60, millisecond: inDay % 1000)
    }

    /// `2025-03-04T10:00:14.250Z`; nil for a non-finite or absurd date.
    static func string(from date: Date) -> String? {
        guard let p = parts(date) else { return nil }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", p.year, p.month, p.day, p.hour, p.minute,
                      p.second, p.millisecond)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; a space or `t` may separate date and time.
    static func date(from string: String) -> Date? {
        var s = Substring(string.trimmingCharacters(in: .whitespaces))
        func number(_ digits: Int) -> Int? {
            let head = s.prefix(digits)
            guard head.count == digits, head.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(head) else { return nil }
            s = s.dropFirst(digits)
            return n
        }
        func expect(_ options: Set<Character>) -> Bool {
            guard let c = s.first, options.contains(c) else { return false }
            s = s.dropFirst()
            return true
        }
        let negativeYear = s.first == "-"
        if negativeYear || s.first == "+" { s = s.dropFirst() }
        guard let rawYear = number(4), expect(["-"]), let month = number(2), expect(["-"]), let day = number(2),
              expect(["T", "t", " "]), let hour = number(2), expect([":"]), let minute = number(2), expect([":"]),
              let second = number(2) else { return nil }
        let year = negativeYear ? -rawYear : rawYear
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
              second <= 60 else { return nil }
        var fraction = ""
        if expect([".", ","]) {
            fraction = String(s.prefix { $0.isASCII && $0.isNumber })
            guard !fraction.isEmpty else { return nil }
            s = s.dropFirst(fraction.count)
        }
        var offsetSeconds = 0
        if expect(["Z", "z"]) {
        } else if let sign = s.first, sign == "+" || sign == "-" {
            s = s.dropFirst()
            guard let oh = number(2) else { return nil }
            _ = expect([":"])
            guard let om = number(2), oh < 24, om < 60 else { return nil }
            offsetSeconds = (sign == "-" ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard s.isEmpty else { return nil }
        let whole = Int64(days(fromCivil: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        if fraction.count <= 3 {
            // Exact milliseconds: one rounding, from an integer.
            let ms = Int64(fraction.padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0
            return Date(timeIntervalSince1970: Double(whole * 1000 + ms) / 1000)
        }
        return Date(timeIntervalSince1970: Double(whole) + (Double("0." + fraction) ?? 0))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
