#if os(Linux)
import CEpoll
import Dispatch
import Foundation
import Glibc
import HeapModule
import NIOCore
import Synchronization

/// An event loop of the generator's own, for plain-http connections (``SocketConnection``): one thread
/// around `epoll_wait`, an eventfd to wake it, a locked queue for ``execute(_:)`` and a timer heap for
/// ``scheduleTask(deadline:_:)``. It is a NIO `EventLoop`, so promises, futures, `assumeIsolated`,
/// `scheduleCallback` and everything LoadKit schedules on a worker loop work on it unchanged; it has no
/// channels (TLS connections need a NIO loop: `--transport nio`).
final class SocketEventLoop: EventLoop, @unchecked Sendable {
    private let epfd: Int32
    private let wakeFD: Int32
    private let inbox = Mutex(Inbox())
    private let started = DispatchSemaphore(value: 0)
    /// Written once by the loop's thread before `init` returns.
    private nonisolated(unsafe) var threadID: pthread_t = 0

    // Touched only on the loop's thread.
    private var timers = Heap<LoopTimer>()
    private var timerOrder: UInt64 = 0
    /// Registered connections by file descriptor.
    private var sockets: [SocketConnection?] = []
    /// Moves with every registration, so an event for a closed descriptor's number is not delivered to the
    /// connection that reuses it.
    private var generation: UInt32 = 0
    private var hasPrecisePoll = true
    /// Connections whose connect is in progress (checked for their deadline by a sweep).
    private var connecting: [SocketConnection] = []
    private var sweepScheduled = false
    /// Set once the loop stopped: no new registrations.
    private var closing = false

    struct Inbox {
        var tasks: [UnsafeTransfer<() -> Void>] = []
        var wakePending = false
        var shutdown: [(DispatchQueue, @Sendable (Error?) -> Void)] = []
        var stopped = false
    }

    static let wakeToken = UInt64.max

    /// Starts the loop's thread, named `name`.
    init(name: String) {
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(epfd >= 0 && wakeFD >= 0, "cannot create epoll/eventfd: errno \(errno)")
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &event)
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
        started.wait()
    }

    // MARK: EventLoop

    var inEventLoop: Bool { pthread_equal(pthread_self(), threadID) != 0 }

    func execute(_ task: @escaping @Sendable () -> Void) {
        enqueue(task)
    }

    func _executeIsolatedUnsafeUnchecked(_ task: @escaping () -> Void) {
        enqueue(task)
    }

    private func enqueue(_ task: @escaping () -> Void) {
        let task = UnsafeTransfer(task)
        let wake = inbox.withLock { box in
            box.tasks.append(task)
            defer { box.wakePending = true }
            return !box.wakePending
        }
        if wake && !inEventLoop {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise = makePromise(of: T.self)
        let timer = LoopTimer.Task(
            // Timers run on the loop, where the promise may take a non-Sendable value.
            run: { do { promise.assumeIsolatedUnsafeUnchecked().succeed(try task()) } catch { promise.fail(error) } },
            fail: { promise.fail($0) })
        let box = UnsafeTransfer(timer)
        if inEventLoop {
            addTimer(timer, deadline: deadline.uptimeNanoseconds)
        } else {
            execute { [self] in addTimer(box.value, deadline: deadline.uptimeNanoseconds) }
        }
        return Scheduled(promise: promise) { [self] in
            if inEventLoop {
                cancelTimer(box.value)
            } else {
                execute { [self] in cancelTimer(box.value) }
            }
        }
    }

    func scheduleTask<T>(in amount: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        scheduleTask(deadline: .now() + amount, task)
    }

    func preconditionInEventLoop(file: StaticString, line: UInt) {
        precondition(inEventLoop, "not on the event loop", file: file, line: line)
    }

    func preconditionNotInEventLoop(file: StaticString, line: UInt) {
        precondition(!inEventLoop, "on the event loop", file: file, line: line)
    }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable (Error?) -> Void) {
        let already = inbox.withLock { box in
            if box.stopped { return true }
            box.shutdown.append((queue, callback))
            return false
        }
        if already {
            queue.async { callback(nil) }
        } else {
            // An empty task wakes the loop, which sees the shutdown request after running it.
            enqueue {}
        }
    }

    // MARK: Timers (on the loop)

    private func addTimer(_ task: LoopTimer.Task, deadline: UInt64) {
        timerOrder &+= 1
        timers.insert(LoopTimer(deadline: deadline, order: timerOrder, task: task))
    }

    private func cancelTimer(_ task: LoopTimer.Task) {
        guard !task.cancelled else { return }
        task.cancelled = true
        task.fail(.cancelled)
    }

    /// Runs every timer that is due.
    private func runTimers() {
        guard let first = timers.min else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        guard first.deadline <= now else { return }
        while let t = timers.min, t.deadline <= now {
            _ = timers.popMin()
            if !t.task.cancelled {
                t.task.cancelled = true
                t.task.run()
            }
        }
    }

    // MARK: Connections (on the loop)

    /// Registers `connection`'s descriptor with epoll for `events` (its events carry
    /// `connection.token`); false when epoll refuses it.
    func register(_ connection: SocketConnection, fd: Int32, events: UInt32) -> Bool {
        // A connect started by a user whose connection the shutdown just closed would outlive the loop.
        if closing {
            errno = ESHUTDOWN
            return false
        }
        generation &+= 1
        connection.token = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
        var event = epoll_event()
        event.events = events
        event.data.u64 = connection.token
        guard epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 else { return false }
        let slot = Int(fd)
        if slot >= sockets.count { sockets.append(contentsOf: repeatElement(nil, count: slot + 1 - sockets.count)) }
        sockets[slot] = connection
        return true
    }

    /// Changes the events `fd` is watched for.
    func modify(fd: Int32, token: UInt64, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event)
    }

    /// Forgets `fd` and closes it.
    func unregisterAndClose(fd: Int32) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
        if Int(fd) < sockets.count { sockets[Int(fd)] = nil }
        Glibc.close(fd)
    }

    /// Checks `connection`'s connect deadline every ``connectSweepInterval`` until it connected or failed.
    func watchConnect(_ connection: SocketConnection) {
        connecting.append(connection)
        if !sweepScheduled { scheduleConnectSweep() }
    }

    static let connectSweepInterval: UInt64 = 20_000_000

    private func scheduleConnectSweep() {
        sweepScheduled = true
        let task = LoopTimer.Task(run: { [unowned self] in sweepConnecting() }, fail: { _ in })
        addTimer(task, deadline: NIODeadline.now().uptimeNanoseconds &+ Self.connectSweepInterval)
    }

    private func sweepConnecting() {
        sweepScheduled = false
        let now = NIODeadline.now().uptimeNanoseconds
        let list = connecting
        connecting = []
        var expired: [SocketConnection] = []
        for c in list where c.isConnecting {
            if c.connectDeadline <= now { expired.append(c) } else { connecting.append(c) }
        }
        // Failing a connect runs the user's code, which may start another one (appended to `connecting`).
        for c in expired { c.connectTimedOut() }
        if !connecting.isEmpty && !sweepScheduled { scheduleConnectSweep() }
    }

    // MARK: The loop

    private func run() {
        threadID = pthread_self()
        started.signal()
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        // One receive buffer for every connection of this loop: a read is parsed before the next one.
        var buffer = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        while true {
            let n = poll(events, capacity: capacity)
            var i = 0
            while i < n {
                let event = events[i]
                i += 1
                let token = event.data.u64
                if token == Self.wakeToken {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                    continue
                }
                let slot = Int(UInt32(truncatingIfNeeded: token))
                guard slot < sockets.count, let connection = sockets[slot], connection.token == token else { continue }
                connection.handle(events: event.events, buffer: &buffer)
            }
            runTimers()
            if runTasks() { break }
        }
        finish()
    }

    /// Waits for events until the next timer is due (not at all when tasks are queued).
    private func poll(_ events: UnsafeMutablePointer<epoll_event>, capacity: Int) -> Int {
        let queued = inbox.withLock { box in
            if box.tasks.isEmpty && box.shutdown.isEmpty {
                box.wakePending = false
                return false
            }
            return true
        }
        var wait: Int64 = -1
        if queued {
            wait = 0
        } else if let first = timers.min {
            let now = NIODeadline.now().uptimeNanoseconds
            wait = first.deadline > now ? Int64(first.deadline - now) : 0
        }
        while true {
            var n: Int32
            if wait < 0 {
                n = epoll_wait(epfd, events, Int32(capacity), -1)
            } else if hasPrecisePoll {
                var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                n = epoll_pwait2(epfd, events, Int32(capacity), &ts, nil)
                if n < 0 && errno == ENOSYS {
                    hasPrecisePoll = false
                    continue
                }
            } else {
                n = epoll_wait(epfd, events, Int32(capacity), Int32(clamping: (wait + 999_999) / 1_000_000))
            }
            if n >= 0 { return Int(n) }
            if errno != EINTR { return 0 }
        }
    }

    /// Runs the queued tasks; returns true when the loop was asked to shut down.
    private func runTasks() -> Bool {
        let (tasks, stopping) = inbox.withLock { box in
            defer { box.tasks.removeAll(keepingCapacity: true) }
            return (box.tasks, !box.shutdown.isEmpty)
        }
        for task in tasks { task.value() }
        return stopping
    }

    /// After the loop: pending timers fail with `.shutdown`, connections close, late tasks still run.
    private func finish() {
        closing = true
        while let t = timers.popMin() {
            guard !t.task.cancelled else { continue }
            t.task.cancelled = true
            t.task.fail(.shutdown)
        }
        for case let connection? in sockets { connection.close() }
        var callbacks: [(DispatchQueue, @Sendable (Error?) -> Void)] = []
        while true {
            let (tasks, done) = inbox.withLock { box in
                defer { box.tasks.removeAll() }
                if box.tasks.isEmpty {
                    box.stopped = true
                    callbacks = box.shutdown
                    box.shutdown = []
                    return ([UnsafeTransfer<() -> Void>](), true)
                }
                return (box.tasks, false)
            }
            if done { break }
            for task in tasks { task.value() }
        }
        Glibc.close(wakeFD)
        Glibc.close(epfd)
        for (queue, callback) in callbacks { queue.async { callback(nil) } }
    }
}

/// N ``SocketEventLoop``s handed out round robin.
final class SocketEventLoopGroup: EventLoopGroup, @unchecked Sendable {
    private let loops: [SocketEventLoop]
    private let index = Atomic<Int>(0)

    init(numberOfThreads: Int) {
        loops = (0..<max(1, numberOfThreads)).map { SocketEventLoop(name: "firedrill-socket-\($0)") }
    }

    func next() -> EventLoop {
        loops[index.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    func makeIterator() -> EventLoopIterator {
        EventLoopIterator(loops)
    }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable (Error?) -> Void) {
        let group = DispatchGroup()
        for loop in loops {
            group.enter()
            loop.shutdownGracefully(queue: queue) { _ in group.leave() }
        }
        group.notify(queue: queue) { callback(nil) }
    }
}
#endif
