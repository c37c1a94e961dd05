import FiredrillSupport
import Foundation
import LoadKit

/// `POST /swarm`'s fields (Locust's names), checked one by one so every refusal names its field.
///
/// `user_count`, `spawn_rate`, `host`, optional `run_time` (Locust's `20`, `20s`, `3m`, `1h20m`);
/// firedrill's extras: `rate` (open model: iterations per second) and `tags` (comma-separated).
public struct SwarmForm: Sendable, Equatable {
    /// Users wanted (closed model).
    public var userCount: Int?
    /// Users started (or stopped) per second.
    public var spawnRate: Double?
    /// Target base URL.
    public var host: String?
    /// Seconds to run, nil for until stopped.
    public var runTime: Double?
    /// Open model: iterations per second.
    public var rate: Double?
    /// Only tasks with one of these tags.
    public var tags: [String] = []

    /// Parses the raw fields; empty values count as absent.
    public init(fields: [String: String]) throws(WebError) {
        func value(_ key: String) -> String? {
            fields[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let text = value("user_count") {
            guard let n = Int(text) else { throw .field("user_count", "'\(text)' is not a whole number") }
            guard n >= 0 else { throw .field("user_count", "must be 0 or more, not \(n)") }
            userCount = n
        }
        if let text = value("spawn_rate") {
            guard let r = Double(text), r.isFinite else { throw .field("spawn_rate", "'\(text)' is not a number") }
            guard r > 0 else { throw .field("spawn_rate", "must be above 0 users per second, not \(text)") }
            spawnRate = r
        }
        if let text = value("host") {
            // Locust strips < and > against XSS; a URL never needs them.
            guard TargetURL(text) != nil, !text.contains("<"), !text.contains(">") else {
                throw .field("host", "'\(text)' is not an http(s) URL such as http://127.0.0.1:8080")
            }
            host = text
        }
        if let text = value("run_time") {
            guard let t = DurationText.seconds(text), t > 0 else {
                throw .field("run_time", "'\(text)' is not a run time; valid forms are 20, 20s, 3m, 2h, 1h20m, 3h30m10s")
            }
            runTime = t
        }
        if let text = value("rate") {
            guard let r = Double(text), r.isFinite, r > 0 else {
                throw .field("rate", "must be above 0 iterations per second, not '\(text)'")
            }
            rate = r
        }
        tags = (value("tags") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// The overrides that turn the scenario into this run's plan.
    func overrides(base: LoadPlan) -> PlanOverrides {
        var o = PlanOverrides()
        o.users = userCount
        o.spawnRate = spawnRate
        o.host = host
        o.runTime = runTime
        o.tags = tags
        if base.load.isOpen { o.arrivalRate = rate }
        return o
    }
}
