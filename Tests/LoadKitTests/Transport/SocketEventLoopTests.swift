#if os(Linux)
import Dispatch
import NIOCore
import Synchronization
import Testing
@testable import LoadKit

/// The socket transport's event loop behaves as a NIO `EventLoop`: tasks from any thread, timers in
/// deadline order, cancellation, callbacks, shutdown.
@Suite(.timeLimit(.minutes(1))) struct SocketEventLoopTests {
    @Test func tasksFromOtherThreadsAllRunOnTheLoopInOrderPerThread() async throws {
        let loop = SocketEventLoop(name: "test")
        defer { loop.shutdownGracefully(queue: .global()) { _ in } }
        #expect(!loop.inEventLoop)
        let seen = Mutex<[Int: [Int]]>([:])
        let offLoop = Mutex(0)
        let threads = 4, perThread = 500
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                loop.execute {
                    if !loop.inEventLoop { offLoop.withLock { $0 += 1 } }
                    seen.withLock { $0[t, default: []].append(i) }
                }
            }
        }
        // A task submitted last runs after every earlier one from this thread.
        let total = try await loop.submit { seen.withLock { $0.values.reduce(0) { $0 + $1.count } } }.get()
        #expect(total == threads * perThread)
        #expect(offLoop.withLock { $0 } == 0)
        for t in 0..<threads {
            #expect(seen.withLock { $0[t] } == Array(0..<perThread))
        }
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesNever() async throws {
        let loop = SocketEventLoop(name: "test")
        defer { loop.shutdownGracefully(queue: .global()) { _ in } }
        let order = Mutex<[Int]>([])
        let base = NIODeadline.now() + .milliseconds(30)
        // Scheduled out of order, two with the same deadline (they keep the order they were scheduled in).
        let delays = [50, 10, 40, 20, 20, 0, 30]
        var futures: [EventLoopFuture<Void>] = []
        var cancelled: Scheduled<Void>?
        for (i, ms) in delays.enumerated() {
            let s = loop.scheduleTask(deadline: base + .milliseconds(Int64(ms))) { order.withLock { $0.append(i) } }
            futures.append(s.futureResult)
        }
        cancelled = loop.scheduleTask(deadline: base + .milliseconds(15)) { order.withLock { $0.append(99) } }
        cancelled?.cancel()
        for f in futures { try await f.get() }
        #expect(order.withLock { $0 } == [5, 1, 3, 4, 6, 2, 0])
        await #expect(throws: EventLoopError.cancelled) { try await cancelled!.futureResult.get() }
        // Scheduled from the loop itself too.
        let inLoop = try await loop.submit {
            loop.scheduleTask(in: .milliseconds(1)) { loop.inEventLoop }.futureResult
        }.get().get()
        #expect(inLoop)
    }

    @Test func scheduledCallbacksAndIsolatedTasksWork() async throws {
        final class Handler: NIOScheduledCallbackHandler, Sendable {
            let fired = Mutex(0)
            func handleScheduledCallback(eventLoop: some EventLoop) { fired.withLock { $0 += 1 } }
        }
        let loop = SocketEventLoop(name: "test")
        defer { loop.shutdownGracefully(queue: .global()) { _ in } }
        let handler = Handler()
        try loop.scheduleCallback(in: .milliseconds(5), handler: handler)
        let cancelled = try loop.scheduleCallback(in: .milliseconds(5), handler: handler)
        cancelled.cancel()
        #expect(await waitUntil { handler.fired.withLock { $0 } == 1 })
        try await Task.sleep(for: .milliseconds(30))
        #expect(handler.fired.withLock { $0 } == 1)
        let value = try await loop.submit {
            let promise = loop.makePromise(of: Int.self)
            loop.assumeIsolated().execute { promise.succeed(7) }
            return promise.futureResult
        }.get().get()
        #expect(value == 7)
    }

    @Test func shutdownFailsPendingTimersAndCallsBack() async throws {
        let loop = SocketEventLoop(name: "test")
        let pending = loop.scheduleTask(in: .seconds(60)) { 1 }
        // Registered before the shutdown: a stopped loop runs no more callbacks (as NIO's).
        let failure = Mutex<Error?>(nil)
        pending.futureResult.whenFailure { error in failure.withLock { $0 = error } }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            loop.shutdownGracefully(queue: .global()) { error in
                #expect(error == nil)
                c.resume()
            }
        }
        #expect(failure.withLock { $0 as? EventLoopError } == .shutdown)
        // A second shutdown still calls back.
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            loop.shutdownGracefully(queue: .global()) { _ in c.resume() }
        }
    }

    @Test func theGroupHandsOutItsLoopsRoundRobin() throws {
        let group = SocketEventLoopGroup(numberOfThreads: 3)
        defer { try? group.syncShutdownGracefully() }
        let picked = (0..<6).map { _ in ObjectIdentifier(group.next() as AnyObject) }
        #expect(Set(picked).count == 3)
        #expect(Array(picked[0..<3]) == Array(picked[3..<6]))
        #expect(Array(group.makeIterator()).count == 3)
    }
}
#endif
