import NIOCore

/// What flows through a toxic chain: bytes, or the end of one direction (EOF).
enum Chunk {
    case data(ByteBuffer)
    case end
}

/// One direction of one connection: an ordered chain of toxic stages between the channel that reads
/// and the channel that writes (Toxiproxy's chain of toxic stubs). Confined to the connection's event
/// loop. Stages are added at the end and removed from anywhere; a removed stage hands back what it
/// held, which continues down the chain, so no byte is dropped by a removal.
final class Pipe: @unchecked Sendable {
    let direction: ToxicStream
    unowned let connection: ProxyConnection
    private(set) var stages: [ToxicStage] = []
    /// Bytes inside the stages (read but not yet written): reading pauses above `highWater`.
    private(set) var heldBytes = 0
    static let highWater = 1 << 20

    init(direction: ToxicStream, connection: ProxyConnection) {
        self.direction = direction
        self.connection = connection
    }

    /// A chunk read from the source channel enters the chain.
    func push(_ chunk: Chunk) {
        if case .data(let b) = chunk { heldBytes += b.readableBytes }
        deliver(chunk, at: 0)
    }

    /// A stage passes a chunk on to the stage after it (or to the writing channel).
    func forward(_ chunk: Chunk, after stage: ToxicStage) {
        // A stage removed from the chain has already handed back what it held; it emits nothing more.
        guard let index = stages.firstIndex(where: { $0 === stage }) else { return }
        deliver(chunk, at: index + 1)
    }

    /// A stage dropped `bytes` on purpose (timeout, limit_data, an answered HTTP request).
    func dropped(_ bytes: Int) {
        heldBytes -= bytes
        connection.pipeDrained(self)
    }

    /// A stage added `bytes` of its own (an injected HTTP answer).
    func inserted(_ bytes: Int) { heldBytes += bytes }

    func contains(_ name: String) -> Bool { stages.contains { $0.name == name } }

    /// Appends a stage (a toxic added to the proxy applies to this open connection from now on).
    func add(_ stage: ToxicStage, first: Bool = false) {
        guard !contains(stage.name) else { return }
        stage.pipe = self
        if first { stages.insert(stage, at: 0) } else { stages.append(stage) }
        stage.start()
    }

    /// Removes a stage; what it held continues down the chain in order.
    func remove(_ name: String) {
        guard let index = stages.firstIndex(where: { $0.name == name }) else { return }
        let stage = stages.remove(at: index)
        for chunk in stage.drain() { deliver(chunk, at: index) }
    }

    /// Stops every stage's timers (the connection is closing).
    func stopAll() {
        for stage in stages { _ = stage.drain() }
        stages.removeAll()
    }

    private func deliver(_ chunk: Chunk, at index: Int) {
        if index < stages.count {
            stages[index].receive(chunk)
        } else {
            if case .data(let b) = chunk { heldBytes -= b.readableBytes }
            connection.write(chunk, for: self)
        }
    }
}

/// One toxic acting on one direction of one connection. The base class passes everything on.
class ToxicStage: @unchecked Sendable {
    let name: String
    /// Set when the stage joins a pipe.
    weak var pipe: Pipe?

    init(name: String) { self.name = name }

    var connection: ProxyConnection? { pipe?.connection }
    var eventLoop: EventLoop? { pipe?.connection.eventLoop }

    /// Called once the stage is in a pipe (timers of timeout and reset_peer start here).
    func start() {}

    /// A chunk arrives from the stage before.
    func receive(_ chunk: Chunk) { emit(chunk) }

    /// Passes a chunk to the stage after this one.
    final func emit(_ chunk: Chunk) { pipe?.forward(chunk, after: self) }

    /// The stage leaves the pipe: cancel timers, return what is held, in order.
    func drain() -> [Chunk] { [] }
}
