import FiredrillSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Kills a local stack's programs if firedrill dies without stopping them (`kill -9`, a crash).
///
/// A small shell in a process group of its own polls firedrill's PID every second; once firedrill
/// is gone it sends SIGKILL to the process group of every program listed in `stack.pids`. The list
/// holds only programs still running (rewritten whenever the stack starts or stops one), so a PID
/// the kernel has reused for another program is never signalled. `PR_SET_PDEATHSIG` would not do:
/// it fires when the *thread* that spawned a child exits, and Dispatch retires idle threads.
final class StackWatchdog: Sendable {
    private let list: URL
    private let process: ChildProcess

    private static let script = """
        parent=$1; list=$2
        while kill -0 "$parent" 2>/dev/null; do sleep 1; done
        if [ -f "$list" ]; then
          while read -r group; do kill -KILL -- "-$group" 2>/dev/null; kill -KILL "$group" 2>/dev/null; done < "$list"
          echo "firedrill (pid $parent) is gone: killed the programs it had started: $(tr '\\n' ' ' < "$list")"
        fi
        """

    /// Starts the watchdog for this process; its list and log live in `work`.
    static func start(in work: URL) throws -> StackWatchdog {
        let list = work.appendingPathComponent("stack.pids")
        try Data().write(to: list)
        let process = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", script, "watchdog", "\(getpid())", list.path],
                                             logFile: work.appendingPathComponent("logs/watchdog.log"))
        return StackWatchdog(list: list, process: process)
    }

    private init(list: URL, process: ChildProcess) {
        self.list = list
        self.process = process
    }

    /// Makes `processes` (those still running) the ones killed if firedrill dies.
    func watch(_ processes: [ChildProcess]) {
        let pids = processes.filter(\.isRunning).map { "\($0.pid)\n" }.joined()
        try? Data(pids.utf8).write(to: list, options: .atomic)
    }

    /// Stops the watchdog (the stack has stopped its programs itself).
    func stop() async {
        watch([])
        await process.terminate(grace: .seconds(2))
    }
}
