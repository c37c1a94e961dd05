import Foundation

/// Writes Locust's four CSV files with Locust's exact headers and Python's CSV dialect (CRLF, minimal quoting).
/// `_stats.csv`, `_failures.csv` and `_exceptions.csv` are rewritten every tick; `_stats_history.csv`
/// gets rows appended, so a crash loses at most the last second.
public final class LocustCSVWriter {
    /// Locust 2.x `_stats.csv` header.
    public static let statsHeader = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time",
        "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s",
        "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
    /// Locust 2.x `_stats_history.csv` header.
    public static let historyHeader = ["Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s",
        "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%", "Total Request Count",
        "Total Failure Count", "Total Median Response Time", "Total Average Response Time",
        "Total Min Response Time", "Total Max Response Time", "Total Average Content Size"]
    /// Locust 2.x `_failures.csv` header.
    public static let failuresHeader = ["Method", "Name", "Error", "Occurrences", "First Seen", "Last Seen"]
    /// Locust 2.x `_exceptions.csv` header.
    public static let exceptionsHeader = ["Count", "Message", "Traceback", "Nodes"]

    private let prefix: String
    private let fullHistory: Bool
    private let history: FileHandle

    /// Creates the four files (headers written at once).
    public init(prefix: String, fullHistory: Bool) throws {
        self.prefix = prefix
        self.fullHistory = fullHistory
        try Self.replace(prefix + "_stats.csv", with: Self.row(Self.statsHeader))
        try Self.replace(prefix + "_failures.csv", with: Self.row(Self.failuresHeader))
        try Self.replace(prefix + "_exceptions.csv", with: Self.row(Self.exceptionsHeader))
        let historyPath = prefix + "_stats_history.csv"
        try Self.replace(historyPath, with: Self.row(Self.historyHeader))
        guard let handle = FileHandle(forWritingAtPath: historyPath) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: historyPath])
        }
        handle.seekToEndOfFile()
        history = handle
    }

    deinit {
        try? history.close()
    }

    /// Rewrites the totals files and appends history rows for `snapshot`.
    public func write(_ snapshot: StatsSnapshot) throws {
        try Self.replace(prefix + "_stats.csv", with: Self.statsCSV(snapshot))
        try Self.replace(prefix + "_failures.csv", with: Self.failuresCSV(snapshot))
        try Self.replace(prefix + "_exceptions.csv", with: Self.exceptionsCSV(snapshot))
        var rows = ""
        let timestamp = Int(snapshot.timestamp.timeIntervalSince1970)
        for e in (fullHistory ? snapshot.entries : []) + [snapshot.total] {
            rows += Self.historyRow(e, timestamp: timestamp, users: snapshot.users)
        }
        history.write(Data(rows.utf8))
    }

    /// `_stats.csv` content.
    public static func statsCSV(_ s: StatsSnapshot) -> String {
        var out = row(statsHeader)
        for e in s.entries + [s.total] {
            out += row([e.method, e.name, String(e.requests), String(e.failures), number(e.medianMs), number(e.avgMs),
                        number(e.minMs), number(e.maxMs), number(e.avgContentSize), number(e.rps), number(e.fps)]
                       + percentiles(e.percentiles, count: e.requests))
        }
        return out
    }

    /// `_failures.csv` content.
    public static func failuresCSV(_ s: StatsSnapshot) -> String {
        var out = row(failuresHeader)
        for f in s.failures.sorted(by: { ($0.name, $0.method, $0.error) < ($1.name, $1.method, $1.error) }) {
            out += row([f.method, f.name, f.error, String(f.occurrences), utc(f.firstSeen), utc(f.lastSeen)])
        }
        return out
    }

    /// `_exceptions.csv` content.
    public static func exceptionsCSV(_ s: StatsSnapshot) -> String {
        var out = row(exceptionsHeader)
        for e in s.exceptions { out += row([String(e.count), e.message, "", "local"]) }
        return out
    }

    /// One `_stats_history.csv` row of `e` (CRLF-terminated).
    public static func historyRow(_ e: EntryStats, timestamp: Int, users: Int) -> String {
        row([String(timestamp), String(users), e.method, e.name, String(format: "%f", e.currentRps),
             String(format: "%f", e.currentFps)]
            + percentiles(e.currentPercentiles, count: e.requests)
            + [String(e.requests), String(e.failures), number(e.medianMs), number(e.avgMs), number(e.minMs),
               number(e.maxMs), number(e.avgContentSize)])
    }

    private static func percentiles(_ values: [Double], count: Int) -> [String] {
        count == 0 ? values.map { _ in "N/A" } : values.map(number)
    }

    /// A number as Python would print it, rounded to microseconds for latencies.
    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return String((v * 1000).rounded() / 1000)
    }

    static func utc(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.string(from: Date(timeIntervalSince1970: t.rounded(.down)))
    }

    /// One CSV record in Python's default dialect.
    public static func row(_ fields: [String]) -> String {
        fields.map { field in
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: ",") + "\r\n"
    }

    private static func replace(_ path: String, with text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
