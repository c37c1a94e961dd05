import Foundation

/// The traffic log formats `firedrill replay` reads.
public enum LogFormat: String, Sendable, CaseIterable {
    /// nginx/Apache combined (or common) log format.
    case combined
    /// gunicorn's access log: its default `access_log_format` or the one given with `--log-format`.
    case gunicorn
    /// One JSON object per line.
    case jsonLines = "jsonl"
    /// HTTP Archive 1.2.
    case har

    /// Guesses the format from the first non-blank line: a HAR archive is one JSON object with a
    /// `log` key, JSON lines start each line with `{`, anything else is read as a combined log.
    public static func detect(_ text: String) -> LogFormat {
        var firstLine: Substring?
        LogCollector.lines(of: text) { _, line in
            if firstLine == nil { firstLine = line }
        }
        guard let line = firstLine?.drop(while: { $0 == " " || $0 == "\t" }) else { return .combined }
        if line.hasPrefix("{") {
            // A HAR file is pretty-printed more often than not: `{` alone, or `{"log": {` on one line.
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "{" || line.contains("\"log\"") && !Self.isCompleteObject(line) { return .har }
            if Self.isCompleteObject(line),
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               object["log"] is [String: Any] {
                return .har
            }
            return .jsonLines
        }
        return .combined
    }

    private static func isCompleteObject(_ line: Substring) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil
    }
}

/// Reads a traffic log file in any ``LogFormat``.
public enum TrafficLogReader {
    /// Parses `path`; `format` nil auto-detects. Throws when the file cannot be read, is not text,
    /// or holds no request at all (the message then shows the first rejected lines).
    public static func read(
        path: String, format: LogFormat? = nil, logFormat: String? = nil, fields: JSONLinesFields = JSONLinesFields(),
        origin: String? = nil
    ) throws(ReplayError) -> TrafficLog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError("\(path): cannot read the file")
        }
        return try parse(data, name: path, format: format, logFormat: logFormat, fields: fields, origin: origin)
    }

    /// Parses log bytes; `name` is used in messages. `logFormat` is a gunicorn `access_log_format`,
    /// `fields` the JSON lines field names, `origin` the one HAR origin to keep (default: the most used).
    public static func parse(
        _ data: Data, name: String, format: LogFormat? = nil, logFormat: String? = nil,
        fields: JSONLinesFields = JSONLinesFields(), origin: String? = nil
    ) throws(ReplayError) -> TrafficLog {
        let harOrigin = try origin.map { o throws(ReplayError) in
            guard let url = TargetURL(o) else { throw ReplayError("--origin '\(o)' is not an http(s) URL") }
            return url.origin
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw ReplayError("\(name): not a text file")
        }
        let chosen = format ?? (logFormat != nil ? .gunicorn : LogFormat.detect(text))
        let log: TrafficLog
        switch chosen {
        case .combined:
            log = AccessLogParser(format: try AccessLogFormat(AccessLogFormat.gunicornDefault), kind: .combined).parse(text)
        case .gunicorn:
            let layout = try AccessLogFormat(logFormat ?? AccessLogFormat.gunicornDefault)
            log = AccessLogParser(format: layout, kind: .gunicorn).parse(text)
        case .jsonLines:
            log = JSONLinesParser(fields: fields).parse(text)
        case .har:
            switch HARParser(origin: harOrigin).parse(data) {
            case .success(let l): log = l
            case .failure(let e): throw ReplayError("\(name): \(e.message)")
            }
        }
        if log.requests.isEmpty {
            var message = "\(name): no request could be read as \(chosen.rawValue)"
            message += log.rejectedCount == 0 ? " (the file is empty)" : " (\(log.rejectedCount) line(s) rejected)"
            for r in log.rejected { message += "\n  \(name):\(r.line): \(r.reason)" }
            if format == nil { message += "\n(the format was auto-detected; force one with --format)" }
            throw ReplayError(message)
        }
        return log
    }
}
