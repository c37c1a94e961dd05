/// A parsed traffic log: the requests in arrival order and every line that could not be read.
public struct TrafficLog: Sendable {
    /// The format that was read.
    public var format: LogFormat
    /// Requests sorted by arrival time (a stable sort: equal times keep the file's order).
    public var requests: [RecordedRequest]
    /// How many lines or entries could not be read (blank lines and `#` comments are not counted).
    public var rejectedCount: Int
    /// The first rejected lines, at most ``TrafficLog/keptRejections``.
    public var rejected: [Rejection]

    /// Rejections kept with their line number and reason.
    public static let keptRejections = 5

    /// A line (or HAR entry) that was not a request.
    public struct Rejection: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line number (HAR: entry index plus one).
        public var line: Int
        /// What was wrong.
        public var reason: String

        public var description: String { "line \(line): \(reason)" }
    }

    /// Creates a log from what a parser read; sorts the requests by time.
    public init(format: LogFormat, requests: [RecordedRequest], rejectedCount: Int, rejected: [Rejection]) {
        self.format = format
        self.requests = requests.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
        self.rejectedCount = rejectedCount
        self.rejected = rejected
    }

    /// Seconds from the first request to the last.
    public var span: Double {
        guard let first = requests.first, let last = requests.last else { return 0 }
        return last.time - first.time
    }
}

/// Collects requests and rejections while a parser walks a file.
struct LogCollector {
    var requests: [RecordedRequest] = []
    var rejectedCount = 0
    var rejected: [TrafficLog.Rejection] = []

    mutating func reject(line: Int, _ reason: String) {
        rejectedCount += 1
        if rejected.count < TrafficLog.keptRejections { rejected.append(.init(line: line, reason: reason)) }
    }

    func log(_ format: LogFormat) -> TrafficLog {
        TrafficLog(format: format, requests: requests, rejectedCount: rejectedCount, rejected: rejected)
    }

    /// Reads `text` line by line with `request`, keeping what it returns and counting what it refuses.
    static func collect(
        _ text: String, as format: LogFormat, _ request: (Substring, Int) -> Result<RecordedRequest, ReplayError>
    ) -> TrafficLog {
        var c = LogCollector()
        lines(of: text) { number, line in
            switch request(line, number) {
            case .success(let r): c.requests.append(r)
            case .failure(let e): c.reject(line: number, e.message)
            }
        }
        return c.log(format)
    }

    /// Calls `body` with each line (1-based number, text without the line break); skips blank and `#` lines.
    static func lines(of text: String, _ body: (Int, Substring) -> Void) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.last == "\r" ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            body(number, line)
        }
    }
}
