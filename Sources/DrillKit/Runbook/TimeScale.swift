/// Parses a drill time scale: a number in (0, 1] written as a fraction (`1/30`) or a decimal (`0.5`).
public enum TimeScale {
    /// The scale, or nil when `text` is not a number in (0, 1].
    public static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        let value: Double? = switch parts.count {
        case 1: parts[0]
        case 2: parts[0].flatMap { n in parts[1].map { n / $0 } }
        default: nil
        }
        guard let value, value > 0, value <= 1, value.isFinite else { return nil }
        return value
    }
}

import Foundation
