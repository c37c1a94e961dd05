/// Assigns a dense id to each distinct byte string and counts occurrences, without creating a
/// `String` per occurrence: one `String` per distinct value is made at the end.
struct ByteInterner: ~Copyable {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity: Int
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    private var hashes: [UInt64] = []
    /// Occurrences of each id.
    private(set) var counts: [Int] = []
    /// Open-addressing table of ids (-1 = empty).
    private var table: [Int32]
    private var mask: Int

    /// Number of distinct values.
    var count: Int { counts.count }

    init() {
        arenaCapacity = 4096
        arena = .allocate(capacity: arenaCapacity)
        table = Array(repeating: -1, count: 64)
        mask = 63
    }

    deinit { arena.deallocate() }

    /// The id of the `n` bytes at `p`, adding them if new, and counts one occurrence.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = Self.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = table[i]
            if id < 0 { break }
            let k = Int(id)
            if hashes[k] == h && lengths[k] == n && (n == 0 || memcmp(arena + starts[k], p, n) == 0) {
                counts[k] += 1
                return id
            }
            i = (i + 1) & mask
        }
        let id = Int32(counts.count)
        if arenaCount + n > arenaCapacity {
            let newCapacity = max(arenaCapacity * 2, arenaCount + n)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = bigger
            arenaCapacity = newCapacity
        }
        (arena + arenaCount).update(from: p, count: n)
        starts.append(arenaCount)
        lengths.append(n)
        hashes.append(h)
        counts.append(1)
        arenaCount += n
        table[i] = id
        if counts.count * 2 > table.count { grow() }
        return id
    }

    /// The bytes of value `id`.
    func bytes(_ id: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + starts[id], count: lengths[id])
    }

    /// The value `id` as a `String`.
    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        mask = size - 1
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while table[i] >= 0 { i = (i + 1) & mask }
            table[i] = Int32(k)
        }
    }

    @inline(__always)
    private func memcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return 1 }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return 1 }
            i += 1
        }
        return 0
    }

    /// A fast 64-bit hash: eight bytes per multiply, then a SplitMix64 finalizer.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h = (h << 27) | (h >> 37)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 30
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 27
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        return h
    }
}
