import Synchronization

/// Bytes one connection has written each way. Only the connection's event loop adds (a relaxed
/// atomic add per write, no lock shared with other connections); `/metrics` reads them while the
/// connection is open, and its `ProxyRuntime` folds them into the proxy's totals when it finishes.
final class ByteCounters: Sendable {
    private let up = Atomic<Int64>(0)
    private let down = Atomic<Int64>(0)

    func add(_ bytes: Int, upstream: Bool) {
        if upstream { up.wrappingAdd(Int64(bytes), ordering: .relaxed) } else { down.wrappingAdd(Int64(bytes), ordering: .relaxed) }
    }

    var values: (up: Int64, down: Int64) { (up.load(ordering: .relaxed), down.load(ordering: .relaxed)) }
}
