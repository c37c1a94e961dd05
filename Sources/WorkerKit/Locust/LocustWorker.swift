import Foundation
import LoadKit
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Locust worker driven by an unchanged `locust --master` (Locust 2.x's distributed protocol):
/// ZMTP DEALER toward the master's ROUTER, msgpack messages. Connects (with backoff), says
/// `client_ready`, heartbeats every second both ways, runs the users each `spawn` asks for, reports
/// `stats` every 3 s, answers `stop` with `client_stopped` and leaves on `quit`. A lost master is
/// reconnected to; no master for `masterTimeout` seconds ends the worker with an error.
public final class LocustWorker: Sendable {
    let plan: LoadPlan
    let settings: LocustWorkerSettings
    let runState: WorkerRunState
    private let stopRequested = Mutex(false)
    private var log: Logger { settings.logger }

    /// A worker running `plan`'s user classes; `onRunFinished` receives each test's summary.
    public init(plan: LoadPlan, settings: LocustWorkerSettings,
                onTick: @escaping @Sendable (StatsSnapshot) -> Void = { _ in },
                onRunFinished: @escaping @Sendable (LoadPlan, RunSummary) -> Void = { _, _ in }) {
        self.plan = plan
        self.settings = settings
        runState = WorkerRunState(plan: plan, settings: settings, onTick: onTick, onRunFinished: onRunFinished)
    }

    private enum SessionEnd: Error { case quit, reconnect(String) }

    /// Serves the master until it sends `quit` (returns) or ``shutdown()`` is called (returns after
    /// telling the master); throws when no master answers for `masterTimeout` or it is incompatible.
    public func run() async throws(LocustWorkerError) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { group.shutdownGracefully { _ in } }
        var lostSince = Date()
        var lastError = "no answer"
        var delay = 0.5
        while !stopRequested.withLock({ $0 }) {
            let acked = Flag()
            do {
                try await ZMTPDealer.withConnection(
                    host: settings.masterHost, port: settings.masterPort, identity: settings.clientID, group: group,
                    timeout: min(5, settings.masterTimeout)
                ) { inbound, out in
                    try await self.session(inbound, out, acked: acked)
                }
                return
            } catch let e as LocustWorkerError {
                throw e
            } catch SessionEnd.quit {
                return
            } catch SessionEnd.reconnect(let why) {
                lastError = why
                log.warning("reconnecting to the master: \(why)")
            } catch let e as ZMTPError {
                lastError = e.description
            } catch {
                lastError = Self.describe(error)
            }
            if acked.value {
                lostSince = Date()
                delay = 0.5
            }
            let waited = Date().timeIntervalSince(lostSince)
            if waited >= settings.masterTimeout {
                throw .masterUnreachable(
                    "no Locust master at \(settings.masterHost):\(settings.masterPort) for \(Int(waited))s "
                        + "(--master-timeout \(Int(settings.masterTimeout))s); last error: \(lastError)")
            }
            let pause = min(delay, settings.masterTimeout - waited)
            log.warning("cannot reach the Locust master at \(settings.masterHost):\(settings.masterPort) (\(lastError)); retrying in \(String(format: "%.1f", pause))s")
            try? await Task.sleep(nanoseconds: UInt64(max(0.05, pause) * 1e9))
            delay = min(delay * 2, 5)
        }
        await runState.stop()
    }

    /// Stops the users, tells the master (final stats, `quit`) and makes ``run()`` return.
    public func shutdown() {
        stopRequested.withLock { $0 = true }
    }

    private func message(_ type: String, _ data: MsgPackValue = .nil_) -> [[UInt8]] {
        [LocustMessage(type, data, nodeID: settings.clientID).encoded()]
    }

    private func session(_ inbound: ZMTPInbound, _ out: ZMTPOutbound, acked: Flag) async throws {
        var inbound = inbound
        try await out.send(message("client_ready", .string(settings.version)))
        await runState.masterHeartbeat()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.heartbeats(out) }
            group.addTask { try await self.reports(out) }
            group.addTask {
                // Locust resends client_ready until the master acknowledges it.
                try await Task.sleep(nanoseconds: UInt64(self.settings.ackTimeout * 1e9))
                if !acked.value {
                    throw SessionEnd.reconnect("no ack from the master within \(Int(self.settings.ackTimeout))s")
                }
            }
            while let parts = try await inbound.next() {
                if stopRequested.withLock({ $0 }) { break }
                guard let body = parts.last else { continue }
                let msg: LocustMessage
                do {
                    msg = try LocustMessage.decode(body)
                } catch {
                    throw LocustWorkerError.incompatibleMaster("the master sent a message firedrill cannot read (\(error)); is it a Locust 2.x master?")
                }
                if ["ack", "spawn", "heartbeat"].contains(msg.type) {
                    // Masters before 2.10 never ack: any message of theirs proves the connection.
                    acked.set()
                }
                if try await handle(msg, out) { break }
            }
            if stopRequested.withLock({ $0 }) {
                await runState.stop()
                try? await out.send(message("stats", await runState.report()))
                try? await out.send(message("quit"))
                group.cancelAll()
                throw SessionEnd.quit
            }
            group.cancelAll()
            throw SessionEnd.reconnect("the master closed the connection")
        }
    }

    /// Handles one message; true when the worker should leave (`quit`).
    private func handle(_ msg: LocustMessage, _ out: ZMTPOutbound) async throws -> Bool {
        switch msg.type {
        case "ack":
            log.info("connected to the Locust master", metadata: [
                "master": "\(settings.masterHost):\(settings.masterPort)", "index": "\(msg.data["index"]?.intValue ?? -1)"])
        case "heartbeat":
            await runState.masterHeartbeat()
        case "spawn":
            try await out.send(message("spawning"))
            guard let total = try await runState.spawn(msg.data) else { return false }
            if let error = await runState.takeStartError() {
                try await out.send(message("exception", .object(["msg": .string(error), "traceback": .string("")])))
            }
            await waitForUsers(total)
            await runState.spawned()
            let counts = await runState.userClassesCount()
            try await out.send(message("spawning_complete", .object([
                "user_classes_count": .map(counts.sorted { $0.key < $1.key }.map { (.string($0.key), .integer($0.value)) }),
                "user_count": .integer(counts.values.reduce(0, +)),
            ])))
        case "stop":
            await runState.stop()
            try await out.send(message("stats", await runState.report()))
            try await out.send(message("client_stopped"))
            await runState.ready()
            try await out.send(message("client_ready", .string(settings.version)))
        case "quit":
            log.info("the master says quit")
            // The master waits only 0.5 s for final reports: send what the last tick holds at once,
            // then the rest once in-flight requests are done.
            try? await out.send(message("stats", await runState.report()))
            await runState.stop()
            try await out.send(message("stats", await runState.report()))
            try? await out.send(message("quit"))
            throw SessionEnd.quit
        case "reconnect":
            throw SessionEnd.reconnect("the master asked to reconnect")
        case "spawning_complete", "update_user_class", "locustfile":
            break
        case "hatch":
            throw LocustWorkerError.incompatibleMaster(
                "the master sent 'hatch': it is a Locust master before 1.0; firedrill worker needs a Locust 2.x master")
        default:
            log.warning("unknown message from the master: \(msg.type)")
        }
        return false
    }

    /// Waits (bounded) until the run holds `total` users.
    private func waitForUsers(_ total: Int) async {
        for _ in 0..<3000 {
            guard let run = await runState.run else { return }
            if run.users == total { return }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    private func heartbeats(_ out: ZMTPOutbound) async throws {
        while true {
            try await Task.sleep(nanoseconds: UInt64(settings.heartbeatInterval * 1e9))
            try await out.send(message("heartbeat", await runState.heartbeat()))
            let silent = Date().timeIntervalSince(await runState.lastMasterHeartbeat)
            if silent > settings.heartbeatTimeout {
                throw SessionEnd.reconnect("no heartbeat from the master for \(Int(silent))s")
            }
        }
    }

    private func reports(_ out: ZMTPOutbound) async throws {
        while true {
            try await Task.sleep(nanoseconds: UInt64(settings.reportInterval * 1e9))
            for e in await runState.newExceptions() { try await out.send(message("exception", e)) }
            try await out.send(message("stats", await runState.report()))
        }
    }

    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("connectTimeout") { return "connect timed out" }
        return text
    }
}

/// A flag set once, read from any task.
final class Flag: Sendable {
    private let state = Mutex(false)
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
