/// Counts distinct `Double` values with an open-addressing hash set on their bit patterns.
///
/// Much cheaper than `Set<Double>` for the hundreds of thousands of values of a numeric column.
/// `-0.0` and `0.0` count as one value; NaN must not be inserted.
struct DistinctDoubles {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// Marks an empty slot: a NaN bit pattern, never inserted.
    private static let emptySlot: UInt64 = 0x7FF8_DEAD_BEEF_0001

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Self.emptySlot, count: size)
        mask = size - 1
    }

    /// Inserts `value` (not NaN).
    @inline(__always)
    mutating func insert(_ value: Double) {
        let bits = value == 0 ? 0 : value.bitPattern
        var i = Self.slot(bits, mask)
        while true {
            let s = slots[i]
            if s == bits { return }
            if s == Self.emptySlot { break }
            i = (i + 1) & mask
        }
        slots[i] = bits
        count += 1
        if count * 2 > slots.count { grow() }
    }

    @inline(__always)
    private static func slot(_ bits: UInt64, _ mask: Int) -> Int {
        // A full 64-bit finalizer (SplitMix64's): integers-as-doubles have all-zero low bits.
        var h = bits ^ (bits >> 30)
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        return Int(truncatingIfNeeded: h) & mask
    }

    private mutating func grow() {
        let old = slots
        let size = old.count * 2
        slots = Array(repeating: Self.emptySlot, count: size)
        mask = size - 1
        for s in old where s != Self.emptySlot {
            var i = Self.slot(s, mask)
            while slots[i] != Self.emptySlot { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
