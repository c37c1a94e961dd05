import NIOCore
import FiredrillSupport

/// The open model on one event loop: starts iterations at their scheduled times on idle users,
/// creates users up to this loop's share of `max_users`, and counts dropped iterations. Idle users
/// are reused oldest first, so iterations rotate over every user's connection: a server with several
/// worker processes sees the load spread as from many clients, not pinned to the one or two
/// connections a low rate would keep reusing.
final class ArrivalLoop {
    unowned let ctx: LoopContext
    private(set) var schedule: any ArrivalTimeline
    let startNanos: UInt64
    let stride: Int
    let maxUsers: Int
    let preAllocated: Int
    let makeUser: (LoopContext) -> VirtualUser
    /// Called once, on this loop, when the timeline has no further iteration for it.
    let onExhausted: (() -> Void)?
    private var nextIteration: Int
    private var idle = CircularBuffer<VirtualUser>()
    private var created = 0
    private var stopped = false
    private var timer: Scheduled<Void>?

    init(
        ctx: LoopContext, schedule: any ArrivalTimeline, startNanos: UInt64, loops: Int, maxUsers: Int,
        preAllocated: Int, onExhausted: (() -> Void)? = nil, makeUser: @escaping (LoopContext) -> VirtualUser
    ) {
        self.onExhausted = onExhausted
        self.ctx = ctx
        self.schedule = schedule
        self.startNanos = startNanos
        self.stride = loops
        self.maxUsers = maxUsers
        self.preAllocated = preAllocated
        self.makeUser = makeUser
        self.nextIteration = ctx.index
    }

    /// Creates pre-allocated users and arms the timer; call on the loop.
    func start() {
        for _ in 0..<min(preAllocated, maxUsers) {
            created += 1
            makeUser(ctx).prepare()
        }
        tick()
    }

    /// Stops starting iterations. Those offered before the run's stop began that this loop had not
    /// reached yet (its timer late on a busy machine) count as dropped: offered = started + dropped.
    func stop() {
        if !stopped, let limit = offeredLimit {
            while nextIteration < limit {
                ctx.stats.iterationsDropped += 1
                nextIteration += stride
            }
        }
        stopped = true
        timer?.cancel()
        timer = nil
        let waiting = idle
        idle.removeAll()
        for u in waiting { u.stop() }
    }

    /// The rate changed while running (``RetargetedTimeline``): iterations from `nextIteration` on follow
    /// `timeline`; the timer is re-armed for the next one's new due time.
    func retime(_ timeline: any ArrivalTimeline) {
        guard !stopped else { return }
        schedule = timeline
        timer?.cancel()
        timer = nil
        tick()
    }

    /// A user finished its iteration (or its `on_start`).
    func userIdle(_ user: VirtualUser) {
        if stopped {
            user.stop()
        } else {
            idle.append(user)
        }
    }

    /// Once the run's stop began: how many iterations the timeline offered by then (the run's
    /// `scheduled`); nil while it runs.
    private var offeredLimit: Int? {
        let stoppedAt = ctx.stopProbe.arrivalsStoppedAt.load(ordering: .sequentiallyConsistent)
        guard stoppedAt != .max else { return nil }
        return schedule.count(at: Double(stoppedAt &- startNanos) / 1e9)
    }

    private func tick() {
        guard !stopped else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        let limit = offeredLimit ?? .max
        while let t = schedule.time(ofIteration: nextIteration) {
            // Due after the stop began: never offered, so neither started nor dropped.
            if nextIteration >= limit { return }
            let due = startNanos &+ UInt64(DurationText.timerNanoseconds(t))
            if due > now {
                timer = ctx.loop.assumeIsolatedUnsafeUnchecked().scheduleTask(
                    deadline: NIODeadline.uptimeNanoseconds(due)) { [self] in tick() }
                return
            }
            let task = schedule.task(ofIteration: nextIteration)
            nextIteration += stride
            dispatch(scheduled: due, task: task ?? -1)
            if stopped { return }
        }
        onExhausted?()
    }

    private func dispatch(scheduled: UInt64, task: Int) {
        if let user = idle.popFirst() {
            ctx.stats.iterationsStarted += 1
            user.runIteration(scheduled: scheduled, task: task)
        } else if created < maxUsers {
            created += 1
            ctx.stats.iterationsStarted += 1
            let user = makeUser(ctx)
            ctx.register(user)
            user.runIteration(scheduled: scheduled, task: task)
        } else {
            ctx.stats.iterationsDropped += 1
        }
    }

    /// Users this loop has created.
    var userCount: Int { created }
}
