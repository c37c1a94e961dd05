/// One request read from a traffic log: when it arrived, what was asked, and where in the file it was.
public struct RecordedRequest: Sendable, Hashable {
    /// Arrival time in seconds since 1970 (fractional where the log has it).
    public var time: Double
    /// HTTP method, upper case.
    public var method: String
    /// Request target: path and query (`/api/items?page=2`), or an absolute URL (HAR).
    public var target: String
    /// Request headers as logged (HAR, JSON lines, gunicorn's `%({name}i)s`); empty when the log has none.
    public var headers: [Header]
    /// Request body (HAR `postData`, a JSON lines body field); nil when the log has none.
    public var body: [UInt8]?
    /// Where it came from: `1`-based line number, or the HAR entry index plus one.
    public var line: Int

    /// One request header.
    public struct Header: Sendable, Hashable {
        /// Header name as logged.
        public var name: String
        /// Header value.
        public var value: String
    }

    /// Creates a request.
    public init(time: Double, method: String, target: String, headers: [Header] = [], body: [UInt8]? = nil, line: Int) {
        self.time = time
        self.method = method.uppercased()
        self.target = target
        self.headers = headers
        self.body = body
        self.line = line
    }

    /// Path and query without scheme and authority (the target itself when it is already relative).
    public var pathAndQuery: String {
        if let url = TargetURL(target) { return url.pathAndQuery }
        return target.hasPrefix("/") ? target : "/" + target
    }

    /// The path without the query string.
    public var path: String {
        let pq = pathAndQuery
        return pq.firstIndex(of: "?").map { String(pq[..<$0]) } ?? pq
    }
}
