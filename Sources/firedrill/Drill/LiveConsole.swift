import DrillKit
import Foundation

/// The drill's live console: a line when a step starts and ends, and every two seconds the phase,
/// users, request rate, 5xx ratio, memory in use (% of the limit) and firing alerts.
final class LiveConsole: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private let started = Date()
    private var lastProgress = Date.distantPast

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func progress(_ p: DrillProgress) {
        guard enabled else { return }
        let due = lock.withLock { () -> Bool in
            guard Date().timeIntervalSince(lastProgress) >= 2 else { return false }
            lastProgress = Date()
            return true
        }
        guard due else { return }
        var parts = ["users \(p.users)"]
        parts.append(p.requestsPerSecond.map { String(format: "%.1f req/s", $0) } ?? "- req/s")
        parts.append(p.errorRatio.map { String(format: "5xx %.1f %%", $0 * 100) } ?? "5xx -")
        parts.append(p.memoryRatio.map { String(format: "memory %.0f %% of limit", $0 * 100) } ?? "memory -")
        switch p.firing {
        case nil: parts.append("alerts unknown (no Prometheus)")
        case let firing? where firing.isEmpty: parts.append("no alert firing")
        case let firing?: parts.append("firing: " + firing.joined(separator: ", "))
        }
        Console.line("  \(Self.clock(p.elapsed))  \(parts.joined(separator: " · "))  [\(p.phase)]")
    }

    func step(_ title: String, _ result: DrillJournal.StepResult?) {
        guard enabled else { return }
        let at = Self.clock(Date().timeIntervalSince(started))
        guard let result else {
            Console.line("▶ \(at)  \(title)")
            return
        }
        let mark = switch result.outcome {
        case .passed: "✓"
        case .failed: "✗"
        case .skipped: "–"
        }
        Console.line("\(mark) \(at)  \(title) — \(result.detail)")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        return String(format: "+%02d:%02d", s / 60, s % 60)
    }
}
