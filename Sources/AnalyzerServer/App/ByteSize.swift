/// A size in bytes, written and parsed as humans do: `512MiB`, `100MB`, `1.5GiB`, `4096` (bytes).
public struct ByteSize: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The size in bytes.
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }
    public init(integerLiteral value: Int64) { bytes = value }

    /// The size with the largest binary unit that divides it exactly, e.g. `100MiB`, `1536KiB`, `1000`.
    public var description: String {
        for (suffix, factor) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes != 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return String(bytes)
    }

    private static let units: [(suffix: String, factor: Double)] = [
        ("kib", 1024), ("mib", 1024 * 1024), ("gib", 1024 * 1024 * 1024), ("tib", 1024 * 1024 * 1024 * 1024),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
        ("k", 1024), ("m", 1024 * 1024), ("g", 1024 * 1024 * 1024), ("b", 1),
    ]

    /// Returns the size in bytes, or nil if `text` is not a positive size.
    public static func parse(_ text: String) -> Int64? {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in units where lowered.hasSuffix(suffix) {
            let number = lowered.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value > 0, value.isFinite else { return nil }
            return Int64(value * factor)
        }
        guard let value = Int64(lowered), value > 0 else { return nil }
        return value
    }

    /// Formats `bytes` with binary units, e.g. `512.0 MiB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

import Foundation
