import Foundation

/// Starts worker processes with `posix_spawn` (the listening socket as fd 3, the spec in the
/// environment) and reaps them on a dedicated thread.
enum Spawner {
    /// This executable, as the kernel knows it.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func spawn(spec: WorkerSpec, listeningSocket: Int32) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, listeningSocket, WorkerMain.inheritedSocket)
        var environment = ProcessInfo.processInfo.environment
        environment[WorkerSpec.environmentKey] = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        let arguments = [executablePath, "worker"]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executablePath, &actions, nil, argv, envp)
        guard status == 0 else {
            throw ListeningSocket.Failure(description: "posix_spawn \(executablePath): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Calls `onExit(pid, description)` for every child that ends, from a background thread.
    static func startReaper(onExit: @escaping @Sendable (Int32, String) -> Void) {
        let thread = Thread {
            while true {
                var status: Int32 = 0
                let pid = waitpid(-1, &status, 0)
                if pid > 0 {
                    onExit(pid, describe(status))
                } else if errno == ECHILD {
                    usleep(50_000)
                }
            }
        }
        thread.name = "csv-analyzer-reaper"
        thread.start()
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit code \((status >> 8) & 0xff)" }
        return "signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGABRT ? " (SIGABRT)" : "")"
    }
}
