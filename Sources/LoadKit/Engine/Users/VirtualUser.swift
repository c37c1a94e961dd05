import NIOCore
import FiredrillSupport

/// One simulated user: runs `on_start`, then weighted tasks with waits, over its own keep-alive connection.
/// Lives on one event loop; each request/response step runs there with no task hop. Sendable only so it
/// can be its own wait timer (``NIOScheduledCallbackHandler``: no closure, promise or future per wait);
/// it is never touched off its loop.
final class VirtualUser: TemplateContext, NIOScheduledCallbackHandler, @unchecked Sendable {
    enum Phase: UInt8 {
        case idle, connecting, inFlight, waiting, pollWaiting, stopped
    }

    // State below is touched only on `ctx.loop`; internal (not private) only for the +Sending,
    // +Responses and +TemplateContext extensions.
    let ctx: LoopContext
    let cls: CompiledClass
    let number: Int
    var slot = -1
    var phase = Phase.idle
    var stopping = false
    var onStartDone = false

    var handler: UserConnection?
    var handlerOrigin: Origin?
    var connectGeneration: UInt32 = 0
    var pendingBytes: ByteBuffer?

    var sequence: [CompiledRequest] = []
    var inOnStart = false
    var step = 0
    var iteration = 0
    var iterationStart: UInt64 = 0

    var request: CompiledRequest?
    var requestStart: UInt64 = 0
    /// Monotonic nanoseconds after which the in-flight request times out (0: none).
    var deadline: UInt64 = 0
    /// The URL of the in-flight request when it was rendered or redirected (static requests use `staticURL`).
    var currentURL: TargetURL?
    /// The method after a redirect changed it (nil: the request's own).
    var redirectMethod: String?
    var redirects = 0
    var pollAttempts = 0

    var slots: [TemplateValue?] = []
    var variableCache: [TemplateValue?] = []
    var rowCache: [Int] = []
    /// Open model: the scheduled start of the next iteration's first request (0: none).
    var scheduledStart: UInt64 = 0
    /// Open model: an iteration was handed to this user and has not started yet.
    var pendingIteration = false
    /// Replay: the task the pending iteration runs (-1: pick one by weight).
    var pendingTask = -1
    /// Set for the plan's `setup` user: called once its requests ran (failure message or nil, extracted values).
    var setupCompletion: ((String?, [TemplateValue?]) -> Void)?
    var lastFailure: String?

    init(ctx: LoopContext, cls: CompiledClass, number: Int) {
        self.ctx = ctx
        self.cls = cls
        self.number = number
    }

    var feeders: [Feeder] { ctx.plan.plan.feeders }

    var isHeadRequest: Bool {
        if let m = redirectMethod { return m == "HEAD" }
        return request?.isHead ?? false
    }

    /// True while a request is being sent or awaited.
    var isBusy: Bool { phase == .connecting || phase == .inFlight }

    // MARK: Life cycle

    /// Registers the user and starts its first iteration (not once the run is stopping: a start queued
    /// before the stop is dropped, so a stop never waits for users it would only stop again).
    func start() {
        if ctx.stopping && setupCompletion == nil { return }
        ctx.stopProbe.userStarting()
        ctx.register(self)
        begin()
    }

    /// Open model: registers the user and runs `on_start`; the user then waits for iterations.
    func prepare() {
        ctx.register(self)
        begin()
    }

    /// Open model: runs one iteration whose first request counts from `scheduled`; a replay names its
    /// `task` (-1: pick one by weight).
    func runIteration(scheduled: UInt64, task: Int = -1) {
        scheduledStart = scheduled
        pendingTask = task
        pendingIteration = true
        begin()
    }

    /// Stops after the in-flight request, if any.
    func stop() {
        stopping = true
        switch phase {
        case .idle, .waiting, .pollWaiting: finish()
        default: break
        }
    }

    /// Stops now, abandoning any in-flight request.
    func forceStop() {
        stopping = true
        finish()
    }

    func finish() {
        guard phase != .stopped else { return }
        phase = .stopped
        deadline = 0
        closeConnection()
        ctx.unregister(self)
    }

    func begin() {
        if stopping { return finish() }
        if !onStartDone && !cls.onStart.isEmpty {
            runSequence(cls.onStart, onStart: true)
        } else if let arrival = ctx.arrival, !pendingIteration {
            phase = .idle
            arrival.userIdle(self)
        } else {
            pendingIteration = false
            startIteration()
        }
    }

    func startIteration() {
        iteration &+= 1
        iterationStart = ctx.now()
        if !variableCache.isEmpty { for i in variableCache.indices { variableCache[i] = nil } }
        if !rowCache.isEmpty { for i in rowCache.indices { rowCache[i] = -1 } }
        let task = pendingTask >= 0 && pendingTask < cls.tasks.count ? cls.tasks[pendingTask] : cls.pickTask(using: &ctx.rng)
        pendingTask = -1
        runSequence(task.requests, onStart: false)
    }

    func runSequence(_ requests: [CompiledRequest], onStart: Bool) {
        sequence = requests
        inOnStart = onStart
        step = 0
        runStep()
    }

    func runStep() {
        guard step < sequence.count else { return sequenceDone(ok: true) }
        if stopping { return finish() }
        redirects = 0
        pollAttempts = 0
        sendCurrent()
    }

    func sequenceDone(ok: Bool) {
        sequence = []
        request = nil
        if inOnStart {
            inOnStart = false
            if let completion = setupCompletion {
                setupCompletion = nil
                finish()
                return completion(ok ? nil : (lastFailure ?? "setup failed"), slots)
            }
            if ok {
                onStartDone = true
                return begin()
            }
            pendingIteration = false
            scheduledStart = 0
        }
        if stopping { return finish() }
        if let arrival = ctx.arrival {
            phase = .idle
            return arrival.userIdle(self)
        }
        let elapsed = Double(ctx.now() &- iterationStart) / 1e9
        let delay = cls.spec.wait.delay(afterTaskOf: elapsed, using: &ctx.rng)
        phase = .waiting
        if delay <= 0 && ctx.depth < 16 {
            ctx.depth += 1
            defer { ctx.depth -= 1 }
            phase = .idle
            begin()
        } else {
            wake(after: delay)
        }
    }

    /// Wakes the user after `seconds` (``handleScheduledCallback(eventLoop:)``, by `phase`).
    func wake(after seconds: Double) {
        _ = try? ctx.loop.scheduleCallback(in: .nanoseconds(DurationText.timerNanoseconds(seconds)), handler: self)
    }

    /// The end of a wait (`.waiting`) or of a poll interval (`.pollWaiting`).
    func handleScheduledCallback(eventLoop: some EventLoop) {
        switch phase {
        case .waiting:
            phase = .idle
            begin()
        case .pollWaiting:
            phase = .idle
            if stopping { return finish() }
            redirects = 0
            sendCurrent()
        default:
            break
        }
    }
}
