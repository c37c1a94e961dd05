import NIOCore

/// A task scheduled on a ``SocketEventLoop``, ordered in the loop's `Heap` by deadline, then by the
/// order it was scheduled in. A cancelled timer stays in the heap until it comes up, then is skipped.
struct LoopTimer: Comparable {
    let deadline: UInt64
    let order: UInt64
    let task: Task

    /// What runs, and how its promise fails when it is cancelled or the loop shuts down.
    final class Task {
        let run: () -> Void
        let fail: (EventLoopError) -> Void
        /// Set on the loop by the `Scheduled`'s cancellation.
        var cancelled = false

        init(run: @escaping () -> Void, fail: @escaping (EventLoopError) -> Void) {
            self.run = run
            self.fail = fail
        }
    }

    static func < (a: LoopTimer, b: LoopTimer) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.order < b.order
    }

    static func == (a: LoopTimer, b: LoopTimer) -> Bool {
        a.deadline == b.deadline && a.order == b.order
    }
}
