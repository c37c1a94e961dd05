/// What a replay read and sent, for the console and the `--json` report (`replay`).
public struct ReplayInfo: Sendable, Codable {
    /// The log file.
    public var log: String
    /// The format read (`combined`, `gunicorn`, `jsonl`, `har`).
    public var format: String
    /// Requests read from the log.
    public var requestsRead: Int
    /// Lines (or HAR entries) that could not be read.
    public var rejectedLines: Int
    /// The first of them, `FILE:LINE: reason`.
    public var firstRejections: [String]
    /// Requests in the replay (after `--window`), per pass.
    public var requestsReplayed: Int
    /// Seconds the replay lasts per pass (after `--speed`).
    public var span: Double
    /// `--speed`.
    public var speed: Double
    /// `--window` as given.
    public var window: String?
    /// `--loop`.
    public var loop: Bool

    /// Describes a replay of `log` (read from `path`) as `replay` plans it.
    public init(path: String, log: TrafficLog, replay: ReplayPlan, speed: Double, window: String?, loop: Bool) {
        self.log = path
        format = log.format.rawValue
        requestsRead = log.requests.count
        rejectedLines = log.rejectedCount
        firstRejections = log.rejected.map { "\(path):\($0.line): \($0.reason)" }
        requestsReplayed = replay.requests.count
        span = replay.offsets.last ?? 0
        self.speed = speed
        self.window = window
        self.loop = loop
    }

    /// One paragraph for the console: what was read, what was rejected (the first few, with lines).
    public var text: String {
        var out = "Replay of \(log) (\(format)): \(requestsRead) request(s) read"
        if rejectedLines > 0 { out += ", \(rejectedLines) line(s) rejected" }
        out += "; \(requestsReplayed) replayed over \(NumberFormat.duration(span))"
        if speed != 1 { out += " at \(TemplateValue.format(speed))× speed" }
        if let window { out += ", window \(window)" }
        if loop { out += ", looping" }
        out += "\n"
        for r in firstRejections { out += "  rejected \(r)\n" }
        if rejectedLines > firstRejections.count {
            out += "  … and \(rejectedLines - firstRejections.count) more rejected line(s)\n"
        }
        return out
    }
}
