import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls a handler when one of `signals` arrives, instead of the signal's default action: the one
/// place Firedrill and csv-analyzer handle signals. Several watchers may exist one after the other,
/// or side by side for different signals.
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// Signals whose default action is already switched off. Dispatch installs its own handler with
    /// the first source of a signal, and a later `signal(SIG_IGN)` would silently replace it.
    nonisolated(unsafe) private static var ignored: Set<Int32> = []
    private static let lock = DispatchQueue(label: "SignalWatcher")

    /// Watches `signals` (default SIGINT and SIGTERM) and calls `handler` with each that arrives.
    public init(_ signals: [Int32] = [SIGINT, SIGTERM], queue: DispatchQueue = .global(),
                handler: @escaping @Sendable (Int32) -> Void) {
        Self.lock.sync {
            for sig in signals where !Self.ignored.contains(sig) {
                signal(sig, SIG_IGN)
                Self.ignored.insert(sig)
            }
        }
        for sig in signals {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching (the signals stay ignored).
    public func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
