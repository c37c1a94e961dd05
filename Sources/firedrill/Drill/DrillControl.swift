import DrillKit
import Foundation

/// What the signal handler needs: how many signals arrived, the runner to interrupt, the stack to stop.
final class DrillControl: @unchecked Sendable {
    private let lock = NSLock()
    private var _signals = 0
    private var _runner: DrillRunner?
    private var _stack: (any DrillStack)?

    var signals: Int { lock.withLock { _signals } }
    var runner: DrillRunner? {
        get { lock.withLock { _runner } }
        set { lock.withLock { _runner = newValue } }
    }
    var stack: (any DrillStack)? {
        get { lock.withLock { _stack } }
        set { lock.withLock { _stack = newValue } }
    }

    /// Counts a signal, interrupts the runner, and returns how many signals arrived so far.
    func signalled() -> Int {
        let (count, runner) = lock.withLock { () -> (Int, DrillRunner?) in
            _signals += 1
            return (_signals, _runner)
        }
        runner?.interrupt()
        return count
    }
}
