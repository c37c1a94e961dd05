import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Calls a handler on SIGINT/SIGTERM instead of terminating the process. Several may exist one
/// after the other (a run, then `--metrics-linger`).
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// The default action is switched off once: Dispatch installs its own handler with the first
    /// source of a signal, and a later `signal(SIG_IGN)` would silently replace that handler.
    private static let ignoreDefaultActions: Void = {
        for sig in [SIGINT, SIGTERM] { signal(sig, SIG_IGN) }
    }()

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        Self.ignoreDefaultActions
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
