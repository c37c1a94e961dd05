import NIOCore

/// A stage that releases chunks at due times, in arrival order (a later chunk never overtakes an
/// earlier one): the base of latency, bandwidth, slicer and slow_close. One timer at a time, for the
/// head of the queue.
class ScheduledStage: ToxicStage, @unchecked Sendable {
    private var queue: [(due: NIODeadline, chunk: Chunk)] = []
    private var head = 0
    private var timer: Scheduled<Void>?
    /// The due time of the last chunk queued (order is kept by never scheduling before it).
    private(set) var lastDue = NIODeadline.uptimeNanoseconds(0)

    /// Queues `chunk` for `due` (or for the last due time, if later).
    final func release(_ chunk: Chunk, at due: NIODeadline) {
        let due = max(due, lastDue)
        lastDue = due
        if head == queue.count, due <= .now() { emit(chunk); return }
        queue.append((due, chunk))
        if timer == nil { arm() }
    }

    private func arm() {
        guard head < queue.count, let loop = eventLoop else { return }
        timer = loop.scheduleTask(deadline: queue[head].due) { [weak self] in self?.fire() }
    }

    private func fire() {
        timer = nil
        let now = NIODeadline.now()
        while head < queue.count, queue[head].due <= now {
            let chunk = queue[head].chunk
            head += 1
            emit(chunk)
        }
        if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 } else { arm() }
    }

    override func drain() -> [Chunk] {
        timer?.cancel()
        timer = nil
        let held = queue[head...].map(\.chunk)
        queue.removeAll()
        head = 0
        return held
    }
}

/// `latency`: every chunk is delayed by `latency` ± `jitter` ms from its arrival.
final class LatencyStage: ScheduledStage, @unchecked Sendable {
    let latency: Int64, jitter: Int64

    init(name: String, latency: Int64, jitter: Int64) {
        self.latency = latency
        self.jitter = jitter
        super.init(name: name)
    }

    override func receive(_ chunk: Chunk) {
        let ms = jitter > 0 ? Self.saturating(latency, Int64.random(in: -jitter..<jitter)) : latency
        release(chunk, at: .now() + .milliseconds(max(0, ms)))
    }
}

extension ScheduledStage {
    /// `a + b`, held at Int64's ends instead of trapping (latencies near Int64.max are allowed).
    static func saturating(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}

/// `bandwidth`: at most `rate` KB/s (1 KB = 1000 bytes, Toxiproxy's), sent in pieces of at most
/// 100 ms worth so a big read does not arrive as one late burst.
final class BandwidthStage: ScheduledStage, @unchecked Sendable {
    let rate: Int64
    private var nextFree = NIODeadline.uptimeNanoseconds(0)

    init(name: String, rate: Int64) {
        self.rate = rate
        super.init(name: name)
    }

    override func receive(_ chunk: Chunk) {
        guard rate > 0, case .data(var buffer) = chunk else { release(chunk, at: .now()); return }
        let piece = Int(min(Int64(Int32.max), rate * 100))
        while buffer.readableBytes > 0 {
            let slice = buffer.readSlice(length: min(piece, buffer.readableBytes))!
            nextFree = max(nextFree, .now()) + .nanoseconds(Int64(slice.readableBytes) * 1_000_000 / rate)
            release(.data(slice), at: nextFree)
        }
    }
}

/// `slicer`: cuts data into pieces of `average_size` ± `size_variation` bytes, `delay` µs apart.
final class SlicerStage: ScheduledStage, @unchecked Sendable {
    let average: Int64, variation: Int64, delay: Int64

    init(name: String, average: Int64, variation: Int64, delay: Int64) {
        self.average = average
        self.variation = variation
        self.delay = delay
        super.init(name: name)
    }

    override func receive(_ chunk: Chunk) {
        guard average > 0, case .data(var buffer) = chunk else { release(chunk, at: .now()); return }
        var due = max(lastDue, .now())
        var first = true
        while buffer.readableBytes > 0 {
            var size = average
            if variation > 0 { size = Self.saturating(size, Int64.random(in: -variation...variation)) }
            let slice = buffer.readSlice(length: Int(max(1, min(size, Int64(buffer.readableBytes)))))!
            if !first { due = due + .microseconds(delay) }
            first = false
            release(.data(slice), at: due)
        }
    }
}

/// `slow_close`: data passes; the end of the stream (the close) waits `delay` ms.
final class SlowCloseStage: ScheduledStage, @unchecked Sendable {
    let delay: Int64

    init(name: String, delay: Int64) {
        self.delay = delay
        super.init(name: name)
    }

    override func receive(_ chunk: Chunk) {
        if case .end = chunk { release(chunk, at: .now() + .milliseconds(delay)) } else { release(chunk, at: .now()) }
    }
}
