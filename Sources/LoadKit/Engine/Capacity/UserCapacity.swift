import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What this machine can hold, checked before a run starts: every virtual user keeps one connection
/// (one file descriptor) and about ``bytesPerUser`` of memory, so a user count beyond either is refused
/// with the reason instead of failing (or swapping) mid-run.
public struct UserCapacity: Sendable {
    /// The per-user memory estimate. BENCHMARKS.md measured 5.2 KiB of generator RSS per user at 10,000
    /// users; the kernel's socket (buffers of an idle loopback connection are a few KiB) and response
    /// buffers come on top, so 16 KiB leaves a margin without refusing what fits.
    public static let bytesPerUser = 16 * 1024
    /// File descriptors kept back for everything else: event loops, report files, feeders, the
    /// `--metrics-port` server, the preflight connection.
    public static let reservedDescriptors = 64

    /// The soft `RLIMIT_NOFILE` (after raising it to the hard limit).
    public var descriptorLimit: Int
    /// Descriptors this process already has open.
    public var descriptorsInUse: Int
    /// `MemAvailable` from `/proc/meminfo` in bytes (nil where unknown: no memory check).
    public var availableMemory: Int?

    /// Creates a capacity from known figures (tests).
    public init(descriptorLimit: Int, descriptorsInUse: Int, availableMemory: Int?) {
        self.descriptorLimit = descriptorLimit
        self.descriptorsInUse = descriptorsInUse
        self.availableMemory = availableMemory
    }

    /// This process's capacity; raises the soft descriptor limit to the hard one first.
    public static func current() -> UserCapacity {
        var limit = rlimit()
        var soft = 1024
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            if limit.rlim_cur < limit.rlim_max {
                var raised = limit
                raised.rlim_cur = limit.rlim_max
                if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
            }
            soft = limit.rlim_cur == rlim_t.max ? Int.max : Int(clamping: limit.rlim_cur)
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return UserCapacity(descriptorLimit: soft, descriptorsInUse: open, availableMemory: memAvailable())
    }

    /// Users whose connections fit in the free descriptors.
    public var descriptorUsers: Int { max(0, descriptorLimit - descriptorsInUse - Self.reservedDescriptors) }

    /// Refuses `users` when they cannot all hold a connection or would not fit in memory.
    public func check(users: Int) throws(CapacityError) {
        if users > descriptorUsers {
            throw CapacityError(users: users, reason: """
                each user keeps one connection (a file descriptor), but only \(descriptorUsers) are free \
                (RLIMIT_NOFILE \(descriptorLimit), \(descriptorsInUse) open, \(Self.reservedDescriptors) kept back); \
                lower the user count or raise the limit (ulimit -n)
                """)
        }
        if let availableMemory {
            let (need, overflow) = users.multipliedReportingOverflow(by: Self.bytesPerUser)
            if overflow || need > availableMemory {
                let needText = overflow ? "more than \(Self.bytes(Int.max))" : "about \(Self.bytes(need))"
                throw CapacityError(users: users, reason: """
                    they need \(needText) of memory (\(Self.bytesPerUser / 1024) KiB per user) but \
                    \(Self.bytes(availableMemory)) is available
                    """)
            }
        }
    }

    /// The most users `load` can have at once: the peak of a ramp, or the open model's `max_users`.
    public static func peakUsers(of load: LoadProfile) -> Int {
        switch load {
        case .closed(let users, _, _): return users
        case .stages(let stages): return stages.map(\.users).max() ?? 0
        case .constantArrival(_, _, let pre, let maxUsers), .rampingArrival(_, _, let pre, let maxUsers),
             .replay(_, let pre, let maxUsers):
            return max(pre, maxUsers)
        }
    }

    static func memAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let kib = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kib.map { $0 * 1024 }
        }
        return nil
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
