/// A small, fast per-event-loop PRNG (xoshiro256**), seeded from the system generator.
struct FastRandom: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init() {
        var sys = SystemRandomNumberGenerator()
        s0 = sys.next() | 1
        s1 = sys.next()
        s2 = sys.next()
        s3 = sys.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }
}
