/// Counters and a latency histogram for one request name over some interval.
struct EntryAccumulator: Sendable {
    var count = 0
    var failures = 0
    var sumMicros: UInt64 = 0
    var minMicros = UInt64.max
    var maxMicros: UInt64 = 0
    var sumBytes = 0
    var histogram: LatencyHistogram?

    @inline(__always)
    mutating func record(micros: UInt64, bytes: Int, failed: Bool) {
        count &+= 1
        if failed { failures &+= 1 }
        sumMicros &+= micros
        if micros < minMicros { minMicros = micros }
        if micros > maxMicros { maxMicros = micros }
        sumBytes &+= bytes
        // `histogram == nil` copied the optional (and retained its counts) on every request.
        if case .none = histogram { histogram = .latency() }
        _ = histogram!.record(micros)
    }

    mutating func add(_ other: EntryAccumulator) {
        count += other.count
        failures += other.failures
        sumMicros += other.sumMicros
        minMicros = Swift.min(minMicros, other.minMicros)
        maxMicros = Swift.max(maxMicros, other.maxMicros)
        sumBytes += other.sumBytes
        if let h = other.histogram {
            if histogram == nil { histogram = h } else { histogram!.add(h) }
        }
    }
}
