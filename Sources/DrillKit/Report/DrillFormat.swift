import Foundation

/// How the drill reports write durations, offsets, times and numbers.
enum DrillFormat {
    /// `14.2 s`, `2 min 05 s`, `1 h 02 min 05 s`; `—` for nil or a non-finite value.
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let sign = value < 0 ? "−" : ""
        let a = abs(value)
        if (a * 10).rounded() < 600 { return sign + String(format: "%.1f s", (a * 10).rounded() / 10) }
        guard a < 1e12 else { return sign + String(format: "%.0f s", a) }
        let s = Int(a.rounded())
        if s < 3600 { return sign + String(format: "%d min %02d s", s / 60, s % 60) }
        return sign + String(format: "%d h %02d min %02d s", s / 3600, s / 60 % 60, s % 60)
    }

    /// An offset from the drill's start: `+00:14.2`, `+12:05.0`, `+1:02:05.0`; `?` when non-finite.
    static func offset(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let sign = value < 0 ? "−" : "+"
        let tenths = Int((abs(value) * 10).rounded())
        let s = tenths / 10
        if s >= 3600 { return sign + String(format: "%d:%02d:%02d.%d", s / 3600, s / 60 % 60, s % 60, tenths % 10) }
        return sign + String(format: "%02d:%02d.%d", s / 60, s % 60, tenths % 10)
    }

    /// An x-axis tick: `0:00`, `1:30`, `1:02:00`.
    static func tick(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let s = Int(value.rounded())
        let sign = s < 0 ? "−" : ""
        let a = abs(s)
        if a >= 3600 { return sign + String(format: "%d:%02d:%02d", a / 3600, a / 60 % 60, a % 60) }
        return sign + String(format: "%d:%02d", a / 60, a % 60)
    }

    /// `2025-03-04 10:00:14 UTC`.
    static func utc(_ date: Date) -> String {
        guard let p = JournalDateFormat.parts(date) else { return "?" }
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", p.year, p.month, p.day, p.hour, p.minute, p.second)
    }

    /// The time scale for people: `1/30 (30× faster than real time: an incident minute takes 2 s)`.
    static func timeScale(_ scale: Double) -> String {
        guard scale.isFinite, scale > 0 else { return "unknown (\(scale))" }
        if abs(scale - 1) < 1e-9 { return "1 (real time)" }
        let minute = seconds(60 * scale)
        if scale < 1 {
            let n = 1 / scale
            return "\(fraction(scale)) (\(number(n))× faster than real time: an incident minute takes \(minute))"
        }
        return "\(number(scale)) (\(number(scale))× slower than real time: an incident minute takes \(minute))"
    }

    /// A scale below 1 as `1/30` when it is one over a whole number, else as a number.
    static func fraction(_ scale: Double) -> String {
        let n = 1 / scale
        // Past 1e15 (`--time-scale 1e-300`) Int would trap: the scale as a number.
        return n < 1e15 && abs(n - n.rounded()) < 1e-6 ? "1/\(Int(n.rounded()))" : number(scale)
    }

    /// A measured value: integers as integers, others with up to four significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "−∞" : "∞") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        if abs(value) >= 1000 { return String(format: "%.1f", value) }
        return String(format: "%.4g", value)
    }
}

extension DrillFormat {
    /// `fidelity 0.87 to the incident: curves request_rate 0.91, … · alert order 1.00 (A → B → C)`.
    static func fidelity(_ f: FidelityScore) -> String {
        let curves = f.curves.map { "\($0.curve) \(String(format: "%.2f", $0.similarity))" }.joined(separator: ", ")
        return String(format: "fidelity %.2f to the incident: curves ", f.score) + (curves.isEmpty ? "none compared" : curves)
            + String(format: " · alert order %.2f", f.orderAgreement)
            + " (incident: \(f.incidentAlerts.joined(separator: " → ")); drill: \(f.drillAlerts.joined(separator: " → ")))"
    }
}
