import NIOCore

/// Per-event-loop state of a run: its users, statistics, random numbers and pre-built requests.
/// Everything here is touched only on `loop`.
final class LoopContext: @unchecked Sendable {
    let loop: EventLoop
    #if os(Linux)
    /// The loop as a ``SocketEventLoop`` when the run uses the socket transport.
    let sockets: SocketEventLoop?
    #endif
    let index: Int
    let plan: CompiledPlan
    let connector: Connector
    let stats: LoopStats
    let stopProbe: StopProbe
    var rng = FastRandom()
    let allocator = ByteBufferAllocator()
    /// Per request id: bytes owned by this loop (nil when the request is templated).
    private(set) var staticBytes: [ByteBuffer?]
    private(set) var users: [VirtualUser] = []
    var nextUserNumber: Int
    /// Guards against deep recursion when iterations complete synchronously.
    var depth = 0
    /// The time of the event being handled (0: read the clock); saves clock reads in one callback.
    var cachedNow: UInt64 = 0
    var arrival: ArrivalLoop?
    /// Values extracted by the plan's `setup` requests, visible to every user.
    var globals: [TemplateValue?] = []
    var stopping = false
    /// Called (on this loop) when the last user finished while stopping.
    var onDrained: (() -> Void)?
    private var lastLagCheck: NIODeadline?
    private var sweeper: Scheduled<Void>?
    private var running = false

    static let sweepInterval = TimeAmount.milliseconds(50)

    init(loop: EventLoop, index: Int, plan: CompiledPlan, connector: Connector, stopProbe: StopProbe) {
        self.stopProbe = stopProbe
        self.loop = loop
        #if os(Linux)
        sockets = loop as? SocketEventLoop
        #endif
        self.index = index
        self.plan = plan
        self.connector = connector
        self.stats = LoopStats(entryCount: plan.statKeys.count)
        self.nextUserNumber = index
        self.staticBytes = plan.requests.map { req in
            guard let b = req.staticBytes else { return nil }
            // A private copy so loops do not share reference counts.
            var copy = ByteBufferAllocator().buffer(capacity: b.readableBytes)
            copy.writeImmutableBuffer(b)
            return copy
        }
    }

    /// Monotonic nanoseconds, cached while one event is handled.
    @inline(__always)
    func now() -> UInt64 {
        cachedNow != 0 ? cachedNow : NIODeadline.now().uptimeNanoseconds
    }

    /// Starts the timeout sweeper and lag probe; call on the loop.
    func start() {
        guard !running else { return }
        lastLagCheck = .now()
        running = true
        scheduleSweep()
    }

    private func scheduleSweep() {
        guard running else { return }
        sweeper = loop.assumeIsolated().scheduleTask(in: Self.sweepInterval) { [self] in
            sweep()
            scheduleSweep()
        }
    }

    /// Stops timers; call on the loop.
    func shutdown() {
        running = false
        sweeper?.cancel()
        sweeper = nil
    }

    func register(_ user: VirtualUser) {
        user.slot = users.count
        users.append(user)
    }

    func unregister(_ user: VirtualUser) {
        let slot = user.slot
        guard slot >= 0, slot < users.count, users[slot] === user else { return }
        let last = users.removeLast()
        if slot < users.count {
            users[slot] = last
            last.slot = slot
        }
        user.slot = -1
        if stopping && users.isEmpty { onDrained?() }
    }

    /// Asks every user to stop after its in-flight request.
    func stopAll() {
        stopping = true
        arrival?.stop()
        for u in users { u.stop() }
        if users.isEmpty { onDrained?() }
    }

    /// Stops every user at once; a request still waiting for its response counts as a failure
    /// (``FailureCause/stopTimeout(_:)``), so a silent server cannot pass a gate. Returns how many there were.
    func forceStopAll(stopTimeout: Double) -> Int {
        stopping = true
        arrival?.stop()
        var abandoned = 0
        for u in users where u.isBusy {
            abandoned += 1
            u.recordAbandoned(stopTimeout: stopTimeout)
        }
        for u in users { u.forceStop() }
        users.removeAll()
        return abandoned
    }

    private func sweep() {
        let now = NIODeadline.now()
        if let last = lastLagCheck {
            let late = now.uptimeNanoseconds &- last.uptimeNanoseconds &- UInt64(Self.sweepInterval.nanoseconds)
            if Int64(bitPattern: late) > 0, late > stats.maxLagNanos { stats.maxLagNanos = late }
        }
        lastLagCheck = now
        let t = now.uptimeNanoseconds
        var i = 0
        while i < users.count {
            let u = users[i]
            if u.deadline != 0 && u.deadline <= t { u.timedOut() }
            // A timed-out user may have unregistered itself.
            if i < users.count && users[i] === u { i += 1 }
        }
    }
}
