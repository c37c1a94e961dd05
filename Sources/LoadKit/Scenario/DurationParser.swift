/// Parses durations such as `30s`, `500ms`, `5m`, `1h30m`, `1.5s` or a bare number of seconds.
public enum DurationParser {
    /// Seconds, or nil when `text` is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let s = text.trimmedASCIIWhitespace().lowercased()
        guard !s.isEmpty else { return nil }
        if let plain = Double(s) { return plain >= 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var number = ""
        var i = s.startIndex
        var sawUnit = false
        while i < s.endIndex {
            let c = s[i]
            if c.isNumber || c == "." {
                number.append(c)
                i = s.index(after: i)
                continue
            }
            var unit = ""
            while i < s.endIndex, s[i].isLetter || s[i] == "µ" {
                unit.append(s[i])
                i = s.index(after: i)
            }
            guard let value = Double(number), !unit.isEmpty else { return nil }
            let factor: Double
            switch unit {
            case "ms": factor = 0.001
            case "us", "µs": factor = 0.000001
            case "s", "sec": factor = 1
            case "m", "min": factor = 60
            case "h": factor = 3600
            case "d": factor = 86400
            default: return nil
            }
            total += value * factor
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }
}
