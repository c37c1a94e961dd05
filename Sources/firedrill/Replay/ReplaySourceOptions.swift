import ArgumentParser
import LoadKit

/// `--format`, `--log-format`, `--field`, `--window`, `--speed`, `--loop`, `--rewrite`, `--scrub`,
/// `--no-spread`: what to read from the log and how to play it.
struct ReplaySourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Log format: combined (nginx/Apache), gunicorn, jsonl, har (default: detected from the first line).",
        valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("""
        gunicorn access_log_format of the log, e.g. '%(h)s %(t)s "%(r)s" %(s)s %(D)s' (implies --format gunicorn; \
        default: gunicorn's own default, the combined layout).
        """, valueName: "layout"))
    var logFormat: String?

    @Option(name: .customLong("field"), help: ArgumentHelp("""
        JSON lines: the field holding time, method, url, request, body or headers, as KEY=PATH \
        (dotted for nested objects), e.g. --field time=@timestamp --field url=req.uri (repeatable).
        """, valueName: "key=path"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("""
        HAR: replay only the requests to this origin, e.g. https://shop.example (default: the origin most \
        entries went to; the others are counted as rejected).
        """, valueName: "url"))
    var origin: String?

    @Option(help: "Replay this many times faster, e.g. 10 (1: real time).")
    var speed: Double = 1

    @Option(help: ArgumentHelp("""
        Replay only a slice: FROM..TO as offsets from the log's first request (01:40..02:00, 90s..2m) or \
        ISO 8601 times (2026-12-03T10:00:00Z..2026-12-03T10:05:00Z); either end may be left out.
        """, valueName: "from..to"))
    var window: String?

    @Flag(help: "Start again from the first request after the last one (until --run-time or Ctrl-C).")
    var loop = false

    @Option(name: .customLong("rewrite"), help: ArgumentHelp("""
        Rewrite each request target with a regular expression, REGEX=REPLACEMENT ($1 for groups), \
        e.g. '/users/[0-9]+=/users/42' (repeatable, applied in order).
        """, valueName: "regex=replacement"))
    var rewrites: [String] = []

    @Flag(help: "Drop query strings and headers that carry personal data (Authorization, Cookie, X-Forwarded-For, Referer…).")
    var scrub = false

    @Flag(help: "Send requests logged in the same whole second together (default: spread them over that second).")
    var noSpread = false

    /// The format asked for, if any.
    func logFormatKind() throws(ReplayError) -> LogFormat? {
        guard let format else { return nil }
        guard let kind = LogFormat(rawValue: format.lowercased()) ?? (format.lowercased() == "json" ? .jsonLines : nil) else {
            throw ReplayError("--format '\(format)': expected one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    /// The JSON lines field names.
    func jsonFields() throws(ReplayError) -> JSONLinesFields {
        var f = JSONLinesFields()
        try f.set(fields)
        return f
    }

    /// The settings these flags describe.
    func settings(maxUsers: Int?) throws(ReplayError) -> ReplaySettings {
        var s = ReplaySettings()
        guard speed > 0, speed.isFinite else { throw ReplayError("--speed must be above 0") }
        s.speed = speed
        s.window = try window.map { w throws(ReplayError) in try ReplayWindow(w) }
        s.loop = loop
        s.rewrites = try rewrites.map { r throws(ReplayError) in try ReplaySettings.Rewrite(r) }
        s.scrub = scrub
        s.spreadSeconds = !noSpread
        s.maxUsers = maxUsers
        return s
    }
}
