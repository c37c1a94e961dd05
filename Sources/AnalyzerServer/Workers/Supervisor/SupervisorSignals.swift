import Foundation
import Logging

/// gunicorn's signals: TTIN adds a worker, TTOU removes one, HUP rolls a restart, TERM/INT stop.
final class SignalHandlers: Sendable {
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    init(supervisor: Supervisor, logger: Logger, onStop: @escaping @Sendable () -> Void) {
        let actions: [(Int32, @Sendable () -> Void)] = [
            (SIGTTIN, { Task { await supervisor.inBackground { await supervisor.scale(to: supervisor.desired + 1, maxRequests: nil) } } }),
            (SIGTTOU, { Task { await supervisor.inBackground { await supervisor.scale(to: max(1, supervisor.desired - 1), maxRequests: nil) } } }),
            (SIGHUP, { Task { await supervisor.inBackground { await supervisor.rollingRestart(implementation: nil) } } }),
            (SIGTERM, onStop),
            (SIGINT, onStop),
        ]
        for (number, action) in actions {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                logger.info("signal received", metadata: ["signal": "\(number)"])
                action()
            }
            source.resume()
            sources.append(source)
        }
    }
}
