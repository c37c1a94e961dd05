import FiredrillSupport
import Foundation
import Synchronization

/// The programs a drill's generic `start` steps started (any command, not csv-analyzer): each in a
/// process group of its own with its output in `logs/NAME.log`, stopped with the stack (SIGTERM, a
/// grace period, then SIGKILL to the group), last started first.
public final class CommandProcesses: Sendable {
    /// Where `NAME.log` goes.
    public let logsDirectory: URL
    /// How long a program may take to exit after SIGTERM.
    static let grace = Duration.seconds(10)

    private struct State {
        var byName: [String: ChildProcess] = [:]
        var order: [ChildProcess] = []
        var stopped = false
        var observer: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init(logsDirectory: URL) {
        self.logsDirectory = logsDirectory
    }

    /// Calls `observer` after every start (the local stack's watchdog re-reads its list of programs).
    public func observe(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.observer = observer }
    }

    /// Starts `executable` as `name`.
    /// - Throws: `ControlError` when a program of that name still runs, the stack is stopped, or it cannot start.
    public func start(name: String, executable: String, arguments: [String], environment: [String: String],
                      workingDirectory: URL?) throws -> ChildProcess {
        let (process, observer) = try state.withLock { state in
            guard !state.stopped else { throw ControlError(message: "the stack is stopped") }
            if let running = state.byName[name], running.isRunning {
                throw ControlError(message: "a program named \(name) is already running (pid \(running.pid))")
            }
            do {
                let process = try ChildProcess.spawn(executable: executable, arguments: arguments,
                                                     logFile: logsDirectory.appendingPathComponent("\(name).log"),
                                                     workingDirectory: workingDirectory, environment: environment)
                state.byName[name] = process
                state.order.append(process)
                return (process, state.observer)
            } catch {
                throw ControlError(message: "start \(name): \(error)")
            }
        }
        observer?()
        return process
    }

    /// The program last started as `name`.
    public func process(named name: String) -> ChildProcess? {
        state.withLock { $0.byName[name] }
    }

    /// Every program started, in order.
    public var all: [ChildProcess] { state.withLock { $0.order } }

    /// Stops every program, last started first; later starts are refused. Idempotent.
    public func stopAll() async {
        let processes = state.withLock { state -> [ChildProcess] in
            state.stopped = true
            return state.order.reversed()
        }
        for process in processes {
            // A stopped (SIGSTOP) program would not act on SIGTERM.
            process.signal(SIGCONT)
            await process.terminate(grace: Self.grace)
        }
    }
}
