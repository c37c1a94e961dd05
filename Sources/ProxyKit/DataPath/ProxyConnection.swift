import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// One proxied connection: the accepted client channel, the upstream channel (both on one event
/// loop), and a toxic pipe per direction. Everything here runs on `eventLoop`.
///
/// Backpressure: channels read only on demand (autoRead off); a side reads again only when the
/// channel it feeds is writable and its pipe holds less than `Pipe.highWater` bytes.
final class ProxyConnection: @unchecked Sendable {
    enum Side { case client, upstream }

    let eventLoop: EventLoop
    let client: Channel
    private(set) var upstream: Channel?
    let runtime: ProxyRuntime
    private(set) var up: Pipe!, down: Pipe!
    private var reading: Side?
    private var flushNeeded = (client: false, upstream: false)
    private var paused = (client: false, upstream: false)
    private var inputClosed = (client: false, upstream: false)
    private var dead = (client: false, upstream: false)
    private var ended = (up: false, down: false)
    private(set) var closed = false
    private var finished = false
    /// Bytes written each way (read by `/metrics`).
    let written = ByteCounters()

    init(client: Channel, runtime: ProxyRuntime) {
        self.eventLoop = client.eventLoop
        self.client = client
        self.runtime = runtime
        self.up = Pipe(direction: .upstream, connection: self)
        self.down = Pipe(direction: .downstream, connection: self)
    }

    /// Opens the upstream connection; set by the runtime, run once the client channel is active (a
    /// `read()` on a channel not yet active is lost, and the connection would never read).
    var openUpstream: ((ProxyConnection) -> Void)?

    func clientActive() {
        let open = openUpstream
        openUpstream = nil
        open?(self)
    }

    /// The upstream is connected: install the toxics and start reading both sides.
    func connected(_ channel: Channel, toxics: [ActiveToxic], http: Bool) {
        upstream = channel
        if http {
            let response = HTTPResponseStage()
            down.add(response, first: true)
            up.add(HTTPRequestStage(runtime: runtime, responses: response), first: true)
        }
        for toxic in toxics { add(toxic) }
        guard !closed else { return }
        client.read()
        channel.read()
    }

    /// A toxic applies to this connection from now on (if it wins its `toxicity` roll).
    func add(_ toxic: ActiveToxic) {
        guard !closed, !toxic.spec.kind.isHTTP, Double.random(in: 0..<1) < toxic.spec.toxicity else { return }
        guard let stage = ToxicStages.make(toxic.spec) else { return }
        (toxic.spec.stream == .upstream ? up : down).add(stage)
    }

    /// A toxic no longer applies; what it held goes on.
    func remove(_ name: String) {
        up.remove(name)
        down.remove(name)
        resumeReads()
    }

    // MARK: channel events

    func received(_ side: Side, _ buffer: ByteBuffer) {
        guard !closed else { return }
        let pipe = pipe(readFrom: side)
        if pipe.stages.isEmpty, let output = side == .client ? upstream : client {
            // No toxic on this direction (nothing can be held either: a removed stage hands back
            // what it held at once): the bytes go straight to the other channel, flushed once the
            // read burst ends.
            written.add(buffer.readableBytes, upstream: side == .client)
            output.write(buffer, promise: nil)
            if side == .client { flushNeeded.upstream = true } else { flushNeeded.client = true }
            return
        }
        reading = side
        pipe.push(.data(buffer))
        reading = nil
    }

    func readComplete(_ side: Side) {
        let output = side == .client ? upstream : client
        if side == .client, flushNeeded.upstream { flushNeeded.upstream = false; output?.flush() }
        if side == .upstream, flushNeeded.client { flushNeeded.client = false; output?.flush() }
        if canRead(side) { channel(side)?.read() } else { setPaused(side, true) }
    }

    func inputEnded(_ side: Side) {
        if side == .client { guard !inputClosed.client else { return }; inputClosed.client = true }
        else { guard !inputClosed.upstream else { return }; inputClosed.upstream = true }
        pipe(readFrom: side).push(.end)
    }

    func inactive(_ side: Side) {
        if side == .client { dead.client = true } else { dead.upstream = true }
        inputEnded(side)
        closeIfDone()
        if dead.client, dead.upstream || upstream == nil { finish() }
    }

    func writabilityChanged(_ side: Side) { resumeReads() }

    // MARK: from the pipes

    /// The end of a pipe writes to its output channel.
    func write(_ chunk: Chunk, for pipe: Pipe) {
        let toUpstream = pipe.direction == .upstream
        guard !closed, let output = toUpstream ? upstream : client else { return }
        switch chunk {
        case .data(let buffer):
            written.add(buffer.readableBytes, upstream: toUpstream)
            if reading == (toUpstream ? .client : .upstream) {
                output.write(buffer, promise: nil)
                if toUpstream { flushNeeded.upstream = true } else { flushNeeded.client = true }
            } else {
                output.writeAndFlush(buffer, promise: nil)
            }
            if pipe.heldBytes < Pipe.highWater / 4 { resumeReads() }
        case .end:
            if toUpstream { ended.up = true } else { ended.down = true }
            if !closeIfDone() { output.close(mode: .output, promise: nil) }
        }
    }

    func pipeDrained(_ pipe: Pipe) { resumeReads() }

    // MARK: closing

    /// Closes both sides after what was written has been flushed (timeout, limit_data, http_abort).
    func close() {
        guard !closed else { return }
        shutDown()
        for channel in [client, upstream].compactMap({ $0 }) {
            channel.writeAndFlush(channel.allocator.buffer(capacity: 0)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Closes both sides at once (the proxy was disabled or deleted).
    func closeNow() {
        guard !closed else { return }
        shutDown()
        client.close(promise: nil)
        upstream?.close(promise: nil)
    }

    /// Resets the peer `direction` writes to (a TCP RST) and closes the other side.
    func reset(_ direction: ToxicStream) {
        guard !closed else { return }
        shutDown()
        let victim = direction == .downstream ? client : upstream
        let other = direction == .downstream ? upstream : client
        if let victim {
            (victim as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                .whenComplete { _ in victim.close(promise: nil) } ?? victim.close(promise: nil)
        }
        other?.close(promise: nil)
    }

    private func shutDown() {
        closed = true
        up.stopAll()
        down.stopAll()
        finish()
    }

    @discardableResult
    private func closeIfDone() -> Bool {
        guard !closed, ended.up || dead.upstream, ended.down || dead.client else { return false }
        close()
        return true
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        runtime.connectionFinished(self)
    }

    // MARK: reading

    private func pipe(readFrom side: Side) -> Pipe { side == .client ? up : down }
    private func channel(_ side: Side) -> Channel? { side == .client ? client : upstream }

    private func canRead(_ side: Side) -> Bool {
        guard !closed, let upstream else { return false }
        if side == .client {
            return !inputClosed.client && upstream.isWritable && up.heldBytes < Pipe.highWater
        }
        return !inputClosed.upstream && client.isWritable && down.heldBytes < Pipe.highWater
    }

    private func setPaused(_ side: Side, _ value: Bool) {
        if side == .client { paused.client = value } else { paused.upstream = value }
    }

    private func resumeReads() {
        if paused.client, canRead(.client) { paused.client = false; client.read() }
        if paused.upstream, canRead(.upstream) { paused.upstream = false; upstream?.read() }
    }
}
