import FiredrillSupport
import Foundation
import Logging

/// gunicorn's signals: TTIN adds a worker, TTOU removes one, HUP rolls a restart, TERM/INT stop.
enum SupervisorSignals {
    /// Watches the supervisor's signals until the returned watcher is cancelled or released.
    static func watch(_ supervisor: Supervisor, logger: Logger, onStop: @escaping @Sendable () -> Void) -> SignalWatcher {
        SignalWatcher([SIGTTIN, SIGTTOU, SIGHUP, SIGTERM, SIGINT]) { number in
            logger.info("signal received", metadata: ["signal": "\(number)"])
            switch number {
            case SIGTTIN: Task { await supervisor.inBackground { await supervisor.scale(to: supervisor.desired + 1, maxRequests: nil) } }
            case SIGTTOU: Task { await supervisor.inBackground { await supervisor.scale(to: max(1, supervisor.desired - 1), maxRequests: nil) } }
            case SIGHUP: Task { await supervisor.inBackground { await supervisor.rollingRestart(implementation: nil) } }
            default: onStop()
            }
        }
    }
}
