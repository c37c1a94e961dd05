import Foundation

/// This process's resource use, read from `/proc/self` (Linux).
struct ProcessStats {
    var residentBytes: Int64 = 0
    var virtualBytes: Int64 = 0
    var cpuSeconds: Double = 0
    var startTimeSeconds: Double = 0
    var openFileDescriptors: Int = 0

    static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Reads the current figures; fields stay 0 where `/proc` is unavailable.
    static func current() -> ProcessStats {
        var stats = ProcessStats()
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1 {
                stats.virtualBytes = (Int64(fields[0]) ?? 0) * pageSize
                stats.residentBytes = (Int64(fields[1]) ?? 0) * pageSize
            }
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            // Fields after the command name: state is field 3; utime 14, stime 15, starttime 22.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if rest.count > 19 {
                let utime = Double(rest[11]) ?? 0
                let stime = Double(rest[12]) ?? 0
                stats.cpuSeconds = (utime + stime) / ticksPerSecond
                let startTicks = Double(rest[19]) ?? 0
                stats.startTimeSeconds = bootTime() + startTicks / ticksPerSecond
            }
        }
        stats.openFileDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return stats
    }

    private static func bootTime() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
