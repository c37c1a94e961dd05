import NIOCore
import Synchronization

/// The open connections and the draining state of a worker's public server.
final class ConnectionTracker: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let draining = Atomic<Bool>(false)

    var openConnections: Int { channels.withLock { $0.count } }
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func opened(_ channel: any Channel) { channels.withLock { $0[ObjectIdentifier(channel)] = channel } }
    func closed(_ channel: any Channel) { _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
    func startDraining() { draining.store(true, ordering: .relaxed) }

    /// Asks every connection to close: idle ones close now, busy ones after their response.
    func quiesceAll() {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }
}
