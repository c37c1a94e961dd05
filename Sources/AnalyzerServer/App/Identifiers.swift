/// Short, URL-safe random ids with a kind prefix: `ds_3f9a0c1e5b7d`, `m_…`.
enum Identifiers {
    static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return prefix + "_" + String(repeating: "0", count: 12 - hex.count) + hex
    }
}
