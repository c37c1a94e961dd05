import NIOCore

/// A stage that does one thing to the connection `after` ms from joining it (timeout, reset_peer);
/// removing the toxic first cancels it.
class DeadlineStage: ToxicStage, @unchecked Sendable {
    let after: Int64
    private var timer: Scheduled<Void>?

    init(name: String, after: Int64) {
        self.after = after
        super.init(name: name)
    }

    /// What happens at the deadline.
    func expire() {}

    /// False when the stage has no deadline (timeout 0).
    var hasDeadline: Bool { true }

    override func start() {
        guard hasDeadline, let loop = eventLoop else { return }
        timer = loop.scheduleTask(in: .milliseconds(after)) { [weak self] in self?.expire() }
    }

    override func drain() -> [Chunk] {
        timer?.cancel()
        timer = nil
        return []
    }
}

/// `timeout`: no data passes (it is dropped); after `timeout` ms the connection is closed. With 0 the
/// connection stays open, silent, until the toxic is removed.
final class TimeoutStage: DeadlineStage, @unchecked Sendable {
    override var hasDeadline: Bool { after > 0 }

    override func expire() { connection?.close() }

    override func receive(_ chunk: Chunk) {
        switch chunk {
        case .data(let b): pipe?.dropped(b.readableBytes)
        case .end: emit(chunk)
        }
    }
}

/// `reset_peer`: after `timeout` ms (at once with 0) the connection is reset: the peer this direction
/// writes to gets a TCP RST (SO_LINGER 0), so its next read or write fails with ECONNRESET.
final class ResetPeerStage: DeadlineStage, @unchecked Sendable {
    override func expire() {
        if let direction = pipe?.direction { connection?.reset(direction) }
    }
}

/// `limit_data`: passes exactly `bytes` bytes in this direction, then closes the connection.
final class LimitDataStage: ToxicStage, @unchecked Sendable {
    let limit: Int64
    private var passed: Int64 = 0

    init(name: String, bytes: Int64) {
        self.limit = bytes
        super.init(name: name)
    }

    override func start() {
        if limit == 0 { connection?.close() }
    }

    override func receive(_ chunk: Chunk) {
        guard case .data(var buffer) = chunk else { emit(chunk); return }
        let room = limit - passed
        guard room > 0 else { pipe?.dropped(buffer.readableBytes); return }
        if Int64(buffer.readableBytes) < room {
            passed += Int64(buffer.readableBytes)
            emit(chunk)
            return
        }
        let total = buffer.readableBytes
        let head = buffer.readSlice(length: Int(room))!
        passed = limit
        pipe?.dropped(total - head.readableBytes)
        emit(.data(head))
        connection?.close()
    }
}
