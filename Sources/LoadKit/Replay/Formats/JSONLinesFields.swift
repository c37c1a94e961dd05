/// Which fields of a JSON lines log hold the time, method, URL, body and headers. Each is a dotted
/// path (`req.method`); the defaults try common names in order.
public struct JSONLinesFields: Sendable, Hashable {
    /// Arrival time: epoch seconds/milliseconds or an ISO 8601 / Apache time string.
    public var time: [String] = ["time", "timestamp", "ts", "@timestamp", "start_time", "date"]
    /// HTTP method.
    public var method: [String] = ["method", "request_method", "verb"]
    /// Path and query, or an absolute URL.
    public var url: [String] = ["path", "url", "uri", "request_uri", "target"]
    /// A request line (`GET /x HTTP/1.1`) used when there is no method or URL field.
    public var request: [String] = ["request", "request_line"]
    /// Request body (a string, or JSON written back out as text).
    public var body: [String] = ["body", "request_body"]
    /// Request headers: an object, or a list of `{name, value}`.
    public var headers: [String] = ["headers", "request_headers"]

    /// The keys `--field` accepts.
    public static let keys = ["time", "method", "url", "request", "body", "headers"]

    /// The defaults.
    public init() {}

    /// Applies `--field KEY=PATH` settings (e.g. `time=@timestamp`, `url=req.uri`).
    public mutating func set(_ assignments: [String]) throws(ReplayError) {
        for a in assignments {
            guard let eq = a.firstIndex(of: "="), !a[a.index(after: eq)...].isEmpty else {
                throw ReplayError("--field '\(a)': expected KEY=PATH, e.g. time=@timestamp")
            }
            let key = String(a[..<eq])
            let path = [String(a[a.index(after: eq)...])]
            switch key {
            case "time": time = path
            case "method": method = path
            case "url", "path": url = path
            case "request": request = path
            case "body": body = path
            case "headers": headers = path
            default:
                throw ReplayError("--field '\(a)': unknown key '\(key)'; expected one of \(Self.keys.joined(separator: ", "))")
            }
        }
    }
}
