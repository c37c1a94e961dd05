import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What tests ask Linux's process table (`/proc`) about processes they started: whether one is
/// still alive, and which processes it started.
public enum ProcessTable {
    /// Whether `pid` is a live process (zombies count as gone).
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let fields = statFields(pid) else { return true }
        return fields.first != "Z"
    }

    /// The PIDs whose parent is `pid`.
    public static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { candidate in
            guard let fields = statFields(candidate), fields.count > 1 else { return false }
            return pid_t(fields[1]) == pid
        }
    }

    /// The fields of `/proc/PID/stat` after the command name (state, parent PID, …); nil when unreadable.
    static func statFields(_ pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }
}
