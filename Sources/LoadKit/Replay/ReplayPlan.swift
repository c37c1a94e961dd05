/// Turns a traffic log into a runnable plan: one task per distinct request (named by its route), an
/// open-model timeline with each request at its recorded offset.
public struct ReplayPlan: Sendable {
    /// The plan to hand to ``LoadRun``.
    public var plan: LoadPlan
    /// The requests that will be sent (after window, rewrites and scrubbing), in order.
    public var requests: [RecordedRequest]
    /// Seconds from the start of the replay at which each request is due (speed applied).
    public var offsets: [Double]
    /// Requests in the busiest second of the replay (after speed).
    public var peakPerSecond: Int

    /// Builds the plan against `host` (an http(s) base URL); throws when the window leaves nothing.
    public init(log: TrafficLog, host: String, settings: ReplaySettings, http: HTTPSettings = HTTPSettings(),
                stopTimeout: Double = 10) throws(ReplayError) {
        guard TargetURL(host) != nil else { throw ReplayError("--host '\(host)' is not an http(s) URL") }
        guard settings.speed > 0, settings.speed.isFinite else { throw ReplayError("--speed must be above 0") }
        guard let first = log.requests.first else { throw ReplayError("the log holds no request") }
        var selected = log.requests
        var base = first.time
        if let window = settings.window {
            let (from, to) = window.range(logStart: first.time)
            selected = selected.filter { $0.time >= from && $0.time < to }
            guard !selected.isEmpty else {
                throw ReplayError("--window leaves no request (the log runs \(Self.clock(0))..\(Self.clock(log.span)))")
            }
            if from.isFinite { base = max(from, first.time) } else { base = selected[0].time }
        }
        var times = selected.map { $0.time - base }
        if settings.spreadSeconds, selected.allSatisfy({ $0.time == $0.time.rounded(.down) }) {
            times = Self.spread(times)
        }
        offsets = times.map { $0 / settings.speed }
        if let last = offsets.last, last > LoadPlan.longestDuration {
            throw ReplayError("--speed \(settings.speed) stretches the replay to \(NumberFormat.duration(last)), longer than 1y")
        }
        requests = selected.map { Self.prepare($0, settings: settings) }

        var taskIndex: [TaskKey: Int] = [:]
        var tasks: [TaskSpec] = []
        var timelineTasks: [Int] = []
        timelineTasks.reserveCapacity(requests.count)
        for r in requests {
            let key = TaskKey(method: r.method, target: r.target, headers: r.headers, body: r.body)
            if let i = taskIndex[key] {
                timelineTasks.append(i)
                continue
            }
            let i = tasks.count
            taskIndex[key] = i
            tasks.append(TaskSpec(name: "\(r.method) \(r.target)", requests: [Self.spec(r)]))
            timelineTasks.append(i)
        }
        peakPerSecond = Self.peak(offsets)
        let maxUsers = settings.maxUsers ?? max(10, peakPerSecond * 2)
        let timeline = ReplayTimeline(offsets: offsets, tasks: timelineTasks, loop: settings.loop)
        var plan = LoadPlan(
            host: host, userClasses: [UserClassSpec(name: "Replay", tasks: tasks)],
            load: .replay(timeline, preAllocatedUsers: min(maxUsers, peakPerSecond), maxUsers: maxUsers),
            stopTimeout: stopTimeout, http: http)
        plan.http.headers = []
        self.plan = plan
    }

    struct TaskKey: Hashable {
        var method: String
        var target: String
        var headers: [RecordedRequest.Header]
        var body: [UInt8]?
    }

    /// The request as it will be sent: relative target, rewrites, scrubbing, replayable headers only.
    static func prepare(_ r: RecordedRequest, settings: ReplaySettings) -> RecordedRequest {
        var out = r
        var target = r.pathAndQuery
        for rw in settings.rewrites { target = rw.apply(target) }
        if settings.scrub, let q = target.firstIndex(of: "?") { target = String(target[..<q]) }
        out.target = target
        out.headers = r.headers.filter { h in
            let name = h.name.lowercased()
            return !name.hasPrefix(":") && !ReplaySettings.connectionHeaders.contains(name)
                && !(settings.scrub && ReplaySettings.personalHeaders.contains(name))
        }
        return out
    }

    static func spec(_ r: RecordedRequest) -> RequestSpec {
        let body: BodySpec = r.body.map { bytes in
            let type = r.headers.first { $0.name.lowercased() == "content-type" }?.value ?? "application/octet-stream"
            return .bytes(bytes, contentType: type)
        } ?? .none
        return RequestSpec(
            name: RouteName.of(r.target), method: r.method, path: Template(literal: r.target),
            headers: r.headers.map { NamedTemplate($0.name, Template(literal: $0.value)) }, body: body,
            followRedirects: false)
    }

    /// Requests sharing one whole second, spread evenly over it (in file order).
    static func spread(_ times: [Double]) -> [Double] {
        var out = times
        var i = 0
        while i < times.count {
            var j = i
            while j < times.count && times[j] == times[i] { j += 1 }
            let n = j - i
            for k in i..<j { out[k] = times[i] + Double(k - i) / Double(n) }
            i = j
        }
        return out
    }

    /// Most offsets within any one second.
    static func peak(_ offsets: [Double]) -> Int {
        var best = 0
        var lo = 0
        for hi in offsets.indices {
            while offsets[hi] - offsets[lo] >= 1 { lo += 1 }
            best = max(best, hi - lo + 1)
        }
        return best
    }

    /// `MM:SS` (or `H:MM:SS`) of an offset.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        let hms = s >= 3600 ? [s / 3600, s / 60 % 60, s % 60] : [s / 60, s % 60]
        return hms.enumerated().map { i, v in i == 0 && s >= 3600 ? "\(v)" : (v < 10 ? "0\(v)" : "\(v)") }
            .joined(separator: ":")
    }
}
