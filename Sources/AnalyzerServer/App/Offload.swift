import Dispatch

/// Runs CPU-bound work (parsing, training) on a Dispatch thread instead of Swift's cooperative pool,
/// so request handling keeps its threads while a 100,000-row dataset is parsed or trained.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .utility).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
