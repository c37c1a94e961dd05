/// XML and HTML escaping, for the hand-written reports (JUnit XML, HTML, SVG).
public enum MarkupText {
    /// `s` with `& < > " '` escaped and characters XML 1.0 forbids (C0 controls other than tab, line feed
    /// and carriage return; C1 controls; U+FFFE, U+FFFF) replaced by U+FFFD. In an attribute value, tab,
    /// line feed and carriage return become character references so parsers keep them; in text only the
    /// carriage return does. With `quotes: false` only `& < >` are escaped and every other character is
    /// kept, as Python's `html.escape(s, quote=False)` does (Locust's `safe_name` and error rows).
    public static func escape(_ s: String, attribute: Bool = false, quotes: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case _ where !quotes: out.unicodeScalars.append(c)
            case 0x22: out += "&quot;"
            case 0x27: out += "&apos;"
            case 0x09: out += attribute ? "&#9;" : "\t"
            case 0x0A: out += attribute ? "&#10;" : "\n"
            case 0x0D: out += "&#13;"
            case 0x00..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
