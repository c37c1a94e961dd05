import Synchronization

/// This process's memory share and a cheap, sampled view of its resident set size.
///
/// A background sampler refreshes the RSS every 100 ms so that the per-request check costs an
/// atomic load, not a `/proc` read. Retained allocations are added at once so that a burst
/// cannot overshoot between samples.
final class MemoryBudget: Sendable {
    private let share = Atomic<Int64>(0)
    private let resident = Atomic<Int64>(0)

    /// `shareBytes` nil or 0 means unlimited.
    init(shareBytes: Int64?) {
        share.store(shareBytes ?? 0, ordering: .relaxed)
        sample()
    }

    /// The current share in bytes (0 = unlimited).
    var shareBytes: Int64 { share.load(ordering: .relaxed) }
    /// The last sampled RSS in bytes.
    var residentBytes: Int64 { resident.load(ordering: .relaxed) }

    /// Changes the share (the supervisor divides the budget by the live worker count).
    func setShare(_ bytes: Int64?) { share.store(bytes ?? 0, ordering: .relaxed) }

    /// Reads the RSS now.
    func sample() { resident.store(ProcessStats.current().residentBytes, ordering: .relaxed) }

    /// Records memory just retained (before the next sample sees it).
    func noteRetained(_ bytes: Int64) { resident.add(bytes, ordering: .relaxed) }

    /// Throws ``MemoryError`` if allocating `bytes` would exceed the share; `frames` are the calls
    /// that asked, outermost first (the error log's trace), built only for the error.
    func reserve(_ bytes: Int64, for operation: String, frames: @autoclosure () -> [MemoryError.Frame]) throws(MemoryError) {
        let share = shareBytes
        guard share > 0 else { return }
        let inUse = residentBytes
        if inUse + bytes > share {
            throw MemoryError(operation: operation, requestedBytes: bytes, inUseBytes: inUse, shareBytes: share, frames: frames())
        }
    }

    /// Samples every `interval` until the task is cancelled.
    func runSampler(interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            sample()
            try? await Task.sleep(for: interval)
        }
    }
}
