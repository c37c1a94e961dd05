import FiredrillSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Watches the generator's own CPU use and event-loop lag and warns when it, not the target, limits the run.
struct HealthMonitor {
    /// Lag above this (ms) in two intervals in a row means timings include the generator's own delay.
    static let lagWarningMs = 50.0
    /// Lag above this (ms) even once is reported.
    static let lagAlarmMs = 250.0
    /// CPU above this share of the event-loop threads means the generator is saturated.
    static let cpuWarningShare = 0.9

    private var threads = 1
    private var lastCPU = 0.0
    private var lastWall: UInt64 = 0
    private var firstCPU = 0.0
    private var hotTicks = 0
    private var lagTicks = 0
    private var worstLagNanos: UInt64 = 0
    private var warnings: [String] = []
    private var seen: Set<String> = []

    /// Warnings raised so far.
    var warningCount: Int { warnings.count }

    mutating func start(threads: Int) {
        self.threads = threads
        lastCPU = Self.processCPUSeconds()
        firstCPU = lastCPU
        lastWall = NIODeadline.now().uptimeNanoseconds
    }

    /// After a statistics reset: the worst lag counts from now (warnings already raised stay).
    mutating func resetWorstLag() {
        worstLagNanos = 0
    }

    /// Samples CPU now and combines it with the last interval's loop lag.
    /// `judge` is false while stopping: closing thousands of connections at once is not a saturated run.
    mutating func sample(lagNanos: UInt64, maxLagNanos: UInt64, elapsed: Double, judge: Bool = true) -> GeneratorHealth {
        let cpu = Self.processCPUSeconds()
        let wall = NIODeadline.now().uptimeNanoseconds
        let dt = Double(wall &- lastWall) / 1e9
        let percent = dt > 0.05 ? (cpu - lastCPU) / dt * 100 : 0
        if dt > 0.05 {
            lastCPU = cpu
            lastWall = wall
        }
        let lagMs = Double(lagNanos) / 1e6
        let hot = judge && percent >= Self.cpuWarningShare * 100 * Double(threads)
        hotTicks = hot ? hotTicks + 1 : 0
        // One late timer can be the OS scheduling someone else; two in a row, or a long one, is the generator.
        let laggy = judge && lagMs > Self.lagWarningMs
        lagTicks = laggy ? lagTicks + 1 : 0
        var saturated = false
        if hotTicks >= 3 {
            saturated = true
            warn(kind: "cpu", "generator CPU at \(Int(percent))% with \(threads) event-loop thread(s): the generator may be the bottleneck (try --threads or fewer users per process)", at: elapsed)
        }
        if judge {
            worstLagNanos = max(worstLagNanos, lagNanos)
        }
        if lagTicks >= 2 || (judge && lagMs > Self.lagAlarmMs) {
            saturated = true
            warn(kind: "lag", "event-loop lag reached \(Int(lagMs)) ms: latencies include the generator's own delay (an overloaded machine or generator)", at: elapsed)
        }
        return GeneratorHealth(
            threads: threads, cpuPercent: percent, cpuSeconds: cpu - firstCPU, loopLagMs: lagMs,
            maxLoopLagMs: Double(worstLagNanos) / 1e6, warnings: warnings, saturated: saturated)
    }

    /// Records a warning once per kind.
    private mutating func warn(kind: String, _ message: String, at elapsed: Double) {
        guard !seen.contains(kind) else { return }
        seen.insert(kind)
        warnings.append("[\(Int(elapsed))s] \(message)")
    }

    /// User + system CPU seconds of this process.
    static func processCPUSeconds() -> Double { ProcessUsage.cpuSeconds() }
}
