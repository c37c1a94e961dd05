import Hummingbird
import Synchronization

/// Counts requests toward `--max-requests` (plus a per-worker random jitter, so workers do not
/// all recycle at once).
final class RecycleCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let limit = Atomic<Int>(0)
    private let fired = Atomic<Bool>(false)

    init(limit: Int, jitter: Int) {
        setLimit(limit, jitter: jitter)
    }

    /// Changes the limit (0 = never recycle).
    func setLimit(_ value: Int, jitter: Int) {
        limit.store(value <= 0 ? 0 : value + (jitter > 0 ? Int.random(in: 0...jitter) : 0), ordering: .relaxed)
    }

    var requests: Int { count.load(ordering: .relaxed) }

    /// Counts one request; true exactly once, when the limit is reached.
    func tick() -> Bool {
        let n = count.add(1, ordering: .relaxed).newValue
        let max = limit.load(ordering: .relaxed)
        guard max > 0, n >= max else { return false }
        return fired.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }
}

/// Calls `onLimit` (once) when this worker has served its `--max-requests`.
struct RecycleMiddleware<Context: RequestContext>: RouterMiddleware {
    let counter: RecycleCounter
    let onLimit: @Sendable () async -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if counter.tick() {
            let onLimit = self.onLimit
            Task { await onLimit() }
        }
        return response
    }
}
