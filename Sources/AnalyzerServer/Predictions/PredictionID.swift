import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Prediction ids (the API's `prediction_id`): lowercase UUIDs of version 7 (RFC 9562), whose first
/// 48 bits are the Unix time in milliseconds and the rest random (74 bits).
///
/// Time-ordered rather than random (version 4) so that the prediction log's primary-key index grows
/// at its end: each batch insert then dirties a few B-tree pages instead of one page per row, which
/// is most of what SQLite spends writing the log (WAL frames and checkpoints). The text format is
/// unchanged: 36 characters, `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`.
enum PredictionID {
    /// `count` fresh ids stamped with the current time.
    static func make(_ count: Int) -> [String] {
        guard count > 0 else { return [] }
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        var ids: [String] = []
        ids.reserveCapacity(count)
        randomBits.withLock { pool in
            for _ in 0..<count { ids.append(make(millis: millis, random: pool.next(), pool.next())) }
        }
        return ids
    }

    /// The system's random bits, fetched 8 KiB at a time: `SystemRandomNumberGenerator` makes one
    /// `getrandom` system call per 64 bits, two per id, which cost a prediction more than the model.
    private static let randomBits = Mutex(RandomPool())

    struct RandomPool: ~Copyable {
        private var words = [UInt64](repeating: 0, count: 1024)
        private var index = 1024

        /// The next 64 random bits (the kernel's CSPRNG, as `SystemRandomNumberGenerator`).
        mutating func next() -> UInt64 {
            if index == words.count {
                words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                index = 0
            }
            defer { index += 1 }
            return words[index]
        }
    }

    /// The id for `millis` with random bits taken from `high` (12 bits used) and `low` (62 bits used).
    static func make(millis: UInt64, random high: UInt64, _ low: UInt64) -> String {
        // Bytes 0–5: time; 6–7: version 7 and 12 random bits; 8–15: variant 0b10 and 62 random bits.
        let first = (millis & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (high & 0x0FFF)
        let second = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[index] = hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(first >> 32, nibbles: 8); dash()
            put(first >> 16, nibbles: 4); dash()
            put(first, nibbles: 4); dash()
            put(second >> 48, nibbles: 4); dash()
            put(second, nibbles: 12)
            return index
        }
    }

    /// The Unix time in milliseconds an id was made at (nil if `id` is not a version-7 UUID).
    static func millis(of id: String) -> UInt64? {
        let hex = id.replacingOccurrences(of: "-", with: "")
        guard id.count == 36, hex.count == 32, Array(hex)[12] == "7" else { return nil }
        return UInt64(hex.prefix(12), radix: 16)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
