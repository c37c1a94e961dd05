import Synchronization

/// Counts open connections and the draining state of a worker's public server.
final class ConnectionTracker: Sendable {
    private let open = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    var openConnections: Int { open.load(ordering: .relaxed) }
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func opened() { open.add(1, ordering: .relaxed) }
    func closed() { open.subtract(1, ordering: .relaxed) }
    func startDraining() { draining.store(true, ordering: .relaxed) }
}
