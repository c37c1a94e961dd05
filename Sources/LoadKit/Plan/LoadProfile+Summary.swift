extension LoadProfile {
    /// The load model in words, e.g. `100 users at 10/s for 60s`.
    public var summary: String {
        func d(_ s: Double?) -> String { s.map { NumberFormat.duration($0) } ?? "until stopped" }
        switch self {
        case .closed(let u, let r, let t):
            return "\(u) users spawned at \(TemplateValue.format(r))/s, \(t == nil ? "until stopped" : "for " + d(t))"
        case .stages(let s):
            return "\(s.count) stages: " + s.map { "\($0.users) users over \(d($0.duration))" }.joined(separator: ", ")
        case .constantArrival(let r, let dur, _, let m):
            return "open model: \(TemplateValue.format(r)) iterations/s for \(d(dur)), max \(m) users"
        case .rampingArrival(let start, let s, _, let m):
            return "open model: ramping from \(TemplateValue.format(start))/s through "
                + s.map { "\(TemplateValue.format($0.target))/s" }.joined(separator: ", ") + ", max \(m) users"
        case .replay(let timeline, _, let m):
            let pass = "replay of \(timeline.count) recorded requests"
            let until = timeline.limit.map { " for " + d($0) } ?? (timeline.loop ? " until stopped" : "")
            return "open model: \(pass)\(timeline.loop ? ", looping" : "")\(until), max \(m) users"
        }
    }
}
