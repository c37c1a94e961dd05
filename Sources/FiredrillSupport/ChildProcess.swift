import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program started with `posix_spawn`: the one way Firedrill starts processes (csv-analyzer's
/// workers, a drill stack's services, a drill's commands).
///
/// By default it runs in a process group of its own (so a terminal's Ctrl-C does not reach it, and
/// its children can be killed with it), with stdin `/dev/null` and stdout and stderr appended to a
/// log file. Signal dispositions and the mask start at their defaults, and no descriptor of this
/// process leaks into it but those named in `descriptors`.
///
/// A dedicated thread waits for the program to exit and reaps it, so it never lingers as a zombie.
/// When a program with its own group exits, whatever it left running in that group (e.g.
/// csv-analyzer's workers) is killed with SIGKILL before the program is reaped, while its PID still
/// reserves the group ID: only a group this type created is ever signalled.
public final class ChildProcess: Sendable {
    /// How a program ended.
    public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this code.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .signaled(let signal):
                "signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGTERM ? " (SIGTERM)" : signal == SIGABRT ? " (SIGABRT)" : "")"
            }
        }

        /// Decodes a `waitpid` status.
        public init(waitStatus status: Int32) {
            let signal = status & 0x7f
            self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        }
    }

    /// Where a program's stdout and stderr go.
    public enum Output: Sendable {
        /// This process' own.
        case inherit
        /// Appended to a file, created if missing.
        case file(URL)
    }

    /// How to start a program.
    public struct Options: Sendable {
        /// Where stdout and stderr go.
        public var output: Output
        /// The program's current directory (default: this process').
        public var workingDirectory: URL?
        /// The program's environment (default: this process').
        public var environment: [String: String]?
        /// Whether it leads a process group of its own (killed whole when it exits or is terminated).
        public var ownProcessGroup = true
        /// Descriptors passed down: the child's descriptor number → this process' descriptor.
        public var descriptors: [Int32: Int32] = [:]
        /// Called once, from the reaping thread, when the program has exited and been reaped.
        public var onExit: (@Sendable (ExitStatus) -> Void)?

        public init(output: Output, workingDirectory: URL? = nil, environment: [String: String]? = nil) {
            self.output = output
            self.workingDirectory = workingDirectory
            self.environment = environment
        }
    }

    /// The program's PID (also its process group ID when it has its own group).
    public let pid: pid_t
    /// The program's path and arguments.
    public let commandLine: [String]
    /// Where its stdout and stderr go; nil when it writes to this process' own.
    public let logFile: URL?
    private let ownProcessGroup: Bool
    private let onExit: (@Sendable (ExitStatus) -> Void)?

    private struct State {
        var exitStatus: ExitStatus?
        var terminating = false
        var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    private init(pid: pid_t, commandLine: [String], options: Options) {
        self.pid = pid
        self.commandLine = commandLine
        if case .file(let url) = options.output { logFile = url } else { logFile = nil }
        ownProcessGroup = options.ownProcessGroup
        onExit = options.onExit
    }

    /// Starts `executable` (an absolute or relative path, not looked up on PATH) with `arguments`,
    /// its output appended to `logFile`, in a process group of its own.
    /// - Throws: `SpawnError` when the program is missing or cannot be started.
    public static func spawn(executable: String, arguments: [String], logFile: URL, workingDirectory: URL? = nil,
                             environment: [String: String]? = nil) throws(SpawnError) -> ChildProcess {
        try spawn(executable: executable, arguments: arguments,
                  options: Options(output: .file(logFile), workingDirectory: workingDirectory, environment: environment))
    }

    /// Starts `executable` (not looked up on PATH) with `arguments` as `options` say.
    /// - Throws: `SpawnError` when the program is missing or cannot be started.
    public static func spawn(executable: String, arguments: [String], options: Options) throws(SpawnError) -> ChildProcess {
        guard access(executable, X_OK) == 0 else {
            throw SpawnError(message: "cannot start \(executable): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if case .file(let logFile) = options.output {
            do {
                try FileManager.default.createDirectory(at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw SpawnError(message: "cannot create the folder of \(logFile.path): \(error.localizedDescription)")
            }
            let logDescriptor = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard logDescriptor >= 0 else {
                throw SpawnError(message: "cannot open the log file \(logFile.path): \(String(cString: strerror(errno)))")
            }
            // The child gets its own copies; this process' closes at once (after posix_spawn).
            posix_spawn_file_actions_adddup2(&actions, logDescriptor, 1)
            posix_spawn_file_actions_adddup2(&actions, logDescriptor, 2)
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            defer { close(logDescriptor) }
            return try start(executable, arguments, options, &actions)
        }
        return try start(executable, arguments, options, &actions)
    }

    private static func start(_ executable: String, _ arguments: [String], _ options: Options,
                              _ actions: inout posix_spawn_file_actions_t) throws(SpawnError) -> ChildProcess {
        for (child, parent) in options.descriptors.sorted(by: { $0.key < $1.key }) {
            posix_spawn_file_actions_adddup2(&actions, parent, child)
        }
        if let workingDirectory = options.workingDirectory {
            guard let addchdir = SpawnExtensions.addchdir else {
                throw SpawnError(message: "cannot start \(executable) in \(workingDirectory.path): posix_spawn_file_actions_addchdir_np is not available")
            }
            _ = addchdir(&actions, workingDirectory.path)
        }
        // No other descriptor of this process (listening sockets, the webhook's, …) leaks into the child.
        SpawnExtensions.closeFrom(max(3, (options.descriptors.keys.max() ?? 0) + 1), &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if options.ownProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The caller may block or ignore signals (firedrill ignores SIGINT/SIGTERM to handle them
        // itself; ignored dispositions survive exec): the child starts with the defaults.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM, SIGTTIN, SIGTTOU] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let commandLine = [executable] + arguments
        let environment = options.environment ?? ProcessInfo.processInfo.environment
        let argv = commandLine.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw SpawnError(message: "cannot start \(executable): posix_spawn: \(String(cString: strerror(status)))")
        }
        let child = ChildProcess(pid: pid, commandLine: commandLine, options: options)
        let thread = Thread { child.reap() }
        thread.name = "reaper-\(pid)"
        thread.start()
        return child
    }

    /// Whether the program has not been reaped yet.
    public var isRunning: Bool { state.withLock { $0.exitStatus == nil } }

    /// How the program ended; nil while it runs.
    public var exitStatus: ExitStatus? { state.withLock { $0.exitStatus } }

    /// Sends `signal` to the program, unless it has already been reaped.
    public func signal(_ signal: Int32) {
        state.withLock { state in
            if state.exitStatus == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits until the program has exited and been reaped, at most `timeout`.
    /// - Returns: whether it has. Not cut short by task cancellation (stopping must finish).
    public func waitForExit(timeout: Duration) async -> Bool {
        let id = UUID()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let exited = state.withLock { state -> Bool in
                if state.exitStatus != nil { return true }
                state.waiters[id] = continuation
                return false
            }
            if exited {
                continuation.resume(returning: true)
                return
            }
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) { [self] in
                state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
            }
        }
    }

    /// Stops the program: SIGTERM to its PID, then, if it has not exited within `grace`, SIGKILL to
    /// its whole process group. Returns once it has been reaped (or 5 s after SIGKILL, if the kernel
    /// has not let it go by then). Idempotent; a second call does not send SIGTERM again.
    public func terminate(grace: Duration) async {
        state.withLock { state in
            guard state.exitStatus == nil, !state.terminating else { return }
            state.terminating = true
            _ = kill(pid, SIGTERM)
        }
        if await waitForExit(timeout: grace) { return }
        state.withLock { state in
            guard state.exitStatus == nil else { return }
            if ownProcessGroup { _ = killpg(pid, SIGKILL) }
            _ = kill(pid, SIGKILL)  // in case it left its group
        }
        _ = await waitForExit(timeout: .seconds(5))
    }

    /// The last `lines` lines of the log file (at most its last 64 KiB), for error messages.
    public func tail(lines: Int = 20) -> String {
        logFile.map { Self.tail(of: $0, lines: lines) } ?? ""
    }

    /// The last `lines` lines of `file` (at most its last 64 KiB).
    public static func tail(of file: URL, lines: Int) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 65_536 ? size - 65_536 : 0
        try? handle.seek(toOffset: start)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        var all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if all.last == "" { all.removeLast() }
        if start > 0, !all.isEmpty { all.removeFirst() }  // a partial line
        return all.suffix(max(0, lines)).joined(separator: "\n")
    }

    /// Runs on a dedicated thread: waits for the exit without reaping (the zombie keeps the PID and
    /// group ID reserved), kills what is left in the group, then reaps and wakes the waiters.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
        let (waiters, status) = state.withLock { state -> ([CheckedContinuation<Bool, Never>], ExitStatus) in
            if ownProcessGroup { _ = killpg(pid, SIGKILL) }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            let exit = result == pid ? ExitStatus(waitStatus: status) : .exited(-1)
            state.exitStatus = exit
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), exit)
        }
        waiters.forEach { $0.resume(returning: true) }
        onExit?(status)
    }
}

/// A program could not be started; the message names it and the reason.
public struct SpawnError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// The `_np` extensions of `posix_spawn` that Swift's Glibc module does not import, found at run time.
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addchdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addclosefrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    /// Closes every descriptor from `lowest` on in the child (glibc ≥ 2.34; else each descriptor
    /// open now, listed from /dev/fd).
    static func closeFrom(_ lowest: Int32, _ actions: inout posix_spawn_file_actions_t) {
        if let addclosefrom {
            _ = addclosefrom(&actions, lowest)
            return
        }
        #if canImport(Darwin)
        // POSIX_SPAWN_CLOEXEC_DEFAULT does it.
        #else
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor >= lowest {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        #endif
    }

    private static func symbol<T>(_ name: String) -> T? {
        #if canImport(Darwin)
        let handle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
        let handle: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        guard let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
