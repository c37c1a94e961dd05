import Synchronization

/// Counts the user starts the event loops still ran after the run asked them to stop: a stop queued
/// behind thousands of starts is what kept `-t` from being honoured (issue #18); spawning in bounded
/// batches keeps this at most ``LoadRun/spawnBatch``.
final class StopProbe: Sendable {
    /// Set on the control loop when the stop is sent to the event loops.
    let requested = Atomic<Bool>(false)
    /// User starts run between that moment and the event loop taking the stop.
    let startsBehindStop = Atomic<Int>(0)
    /// Open model: the uptime (ns) at which the stop began, `UInt64.max` until then. Iterations due
    /// by then were offered (the run's `scheduled`); a loop starts none due later.
    let arrivalsStoppedAt = Atomic<UInt64>(.max)

    /// Called by a starting user that is not dropped.
    @inline(__always)
    func userStarting() {
        if requested.load(ordering: .relaxed) { startsBehindStop.add(1, ordering: .relaxed) }
    }
}
