import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit

/// `--segment i/N` and `--start-at TIME`: one of N processes running an equal share of a scenario,
/// all starting at the same moment (a Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`).
struct SegmentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Run share i (0-based, as JOB_COMPLETION_INDEX) of N equal shares of the load: users, spawn and arrival rates, \
        stages (k6 execution segments). With only FIREDRILL_SEGMENTS=N set, i is JOB_COMPLETION_INDEX.
        """, valueName: "i/N"))
    var segment: String?

    @Option(help: ArgumentHelp(
        "Wait until this moment before starting: ISO 8601 (2026-12-03T10:00:00Z) or Unix seconds. With --web it needs --autostart (the page cannot start earlier).",
        valueName: "time"))
    var startAt: String?

    func validate() throws {
        _ = try share()
        _ = try startDate()
    }

    /// The share asked for (from the flag or the environment), or nil.
    func share() throws -> (index: Int, count: Int)? {
        var text = segment ?? FiredrillEnvironment.value("SEGMENT")
        if text == nil, let n = FiredrillEnvironment.value("SEGMENTS"), let i = FiredrillEnvironment.variable("JOB_COMPLETION_INDEX") {
            text = "\(i)/\(n)"
        }
        guard let text else { return nil }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            throw ValidationError("--segment '\(text)' must be i/N with 0 ≤ i < N, e.g. 0/4")
        }
        return (i, n)
    }

    /// The plan with its share applied.
    func apply(to plan: LoadPlan) throws -> LoadPlan {
        guard let (i, n) = try share() else { return plan }
        var plan = plan
        plan.load = plan.load.segment(i, of: n)
        return plan
    }

    /// The start moment, or nil.
    func startDate() throws -> Date? {
        guard let text = startAt ?? FiredrillEnvironment.value("START_AT") else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        throw ValidationError("--start-at '\(text)' is neither ISO 8601 (2026-12-03T10:00:00Z) nor Unix seconds")
    }

    /// Sleeps until `--start-at` (at once when it has passed, with a warning).
    func waitForStart() async throws {
        guard let date = try startDate() else { return }
        let wait = date.timeIntervalSinceNow
        if wait < -1 {
            Console.error("warning: --start-at \(startAt ?? "") passed \(Int(-wait))s ago; starting now")
            return
        }
        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }
}
