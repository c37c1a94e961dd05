import Foundation

/// The duration grammar of a fault's `ttl` (`500ms 30s 5m 1h30m 1.5s 1d`, bare seconds).
enum FaultDuration {
    /// Seconds in `text`; nil when malformed or not positive.
    static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Double(text) { return plain > 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var number = ""
        var units = 0
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isNumber || c == "." {
                number.append(c)
                index = text.index(after: index)
                continue
            }
            var unit = String(c)
            if c == "m", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "s" {
                unit = "ms"
                index = text.index(after: index)
            }
            index = text.index(after: index)
            guard let value = Double(number) else { return nil }
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
            units += 1
        }
        guard number.isEmpty, units > 0, total > 0 else { return nil }
        return total
    }
}
