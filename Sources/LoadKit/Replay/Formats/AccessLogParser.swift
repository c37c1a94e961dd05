/// Reads access logs laid out by an ``AccessLogFormat``: nginx/Apache combined (and common) logs, and
/// gunicorn's access log in its default or any given `access_log_format`.
struct AccessLogParser {
    let format: AccessLogFormat
    let kind: LogFormat

    func parse(_ text: String) -> TrafficLog {
        LogCollector.collect(text, as: kind) { line, number in request(line, number: number) }
    }

    /// The request on one line.
    func request(_ line: Substring, number: Int) -> Result<RecordedRequest, ReplayError> {
        let fields: [String: String]
        switch format.fields(of: line) {
        case .success(let f): fields = f
        case .failure(let e): return .failure(ReplayError("not a \(kind.rawValue) log line (\(e.message))"))
        }
        guard let t = fields["t"], var time = LogTimestamp.parse(Substring(t)) else {
            return .failure(ReplayError("bad time '\(fields["t"] ?? "")'"))
        }
        var method: String
        var target: String
        if let r = fields["r"] {
            let parts = r.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
                  parts[1].first == "/" || parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
                return .failure(ReplayError("no request in '\(r.prefix(60))'"))
            }
            method = String(parts[0])
            target = String(parts[1])
        } else {
            method = fields["m"] ?? ""
            target = fields["U"] ?? ""
            if let q = fields["q"], !q.isEmpty, q != "-" { target += "?" + q }
            guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isLetter }), target.first == "/" else {
                return .failure(ReplayError("no request (method '\(method)', path '\(target)')"))
            }
        }
        // gunicorn and nginx log when the response ended; with a duration atom the arrival is known.
        if let d = fields["D"].flatMap(Double.init) { time -= d / 1e6 }
        else if let m = fields["M"].flatMap(Double.init) { time -= m / 1e3 }
        else if let l = fields["L"].flatMap(Double.init) { time -= l }
        else if let s = fields["T"].flatMap(Double.init) { time -= s }
        var headers: [RecordedRequest.Header] = []
        for (name, value) in fields where name.hasPrefix("{") && name.hasSuffix("}i") && value != "-" {
            headers.append(.init(name: String(name.dropFirst().dropLast(2)), value: value))
        }
        headers.sort { $0.name < $1.name }
        return .success(RecordedRequest(time: time, method: method, target: target, headers: headers, line: number))
    }
}
