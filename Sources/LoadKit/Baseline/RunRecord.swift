import Foundation

/// A finished run read back from the JSON summary `firedrill load --json` writes: what baseline
/// thresholds, the HTML overlay and `firedrill compare` need, and nothing else, so older and newer
/// files still read.
public struct RunRecord: Sendable, Decodable {
    /// `firedrill VERSION`.
    public var tool: String
    /// The target.
    public var host: String
    /// The load model, in words.
    public var load: String
    /// Whether every threshold held.
    public var passed: Bool
    /// The run.
    public var summary: Summary

    /// The `summary` object.
    public struct Summary: Sendable, Decodable {
        /// Seconds of traffic.
        public var duration: Double
        /// Why the run ended.
        public var endReason: String
        /// The final statistics.
        public var stats: Stats
        /// The aggregated per-second history.
        public var history: [HistoryPoint]
        /// Per-name interval statistics (nil in files written before they were kept).
        public var intervals: [IntervalSeries]?
    }

    /// The `summary.stats` object.
    public struct Stats: Sendable, Decodable {
        /// Per request (method, name).
        public var entries: [Entry]
        /// All requests (`Aggregated`).
        public var total: Entry
        /// Open-model counters (nil in the closed model).
        public var arrival: ArrivalStats?
    }

    /// One row of `summary.stats.entries` (or `total`).
    public struct Entry: Sendable, Decodable {
        public var method: String
        public var name: String
        public var requests: Int
        public var failures: Int
        public var avgMs: Double
        public var minMs: Double
        public var maxMs: Double
        public var rps: Double
        public var fps: Double
        /// Latency at ``EntryStats/levels``, milliseconds.
        public var percentiles: [Double]

        /// Failed / all requests (0 when none).
        public var failureRate: Double { requests > 0 ? Double(failures) / Double(requests) : 0 }

        /// Latency at `p` when it is one of ``EntryStats/levels``.
        public func percentile(_ p: Double) -> Double? {
            guard let i = EntryStats.levels.firstIndex(of: p), i < percentiles.count else { return nil }
            return percentiles[i]
        }
    }

    /// Reads a summary file.
    /// - Throws: `RunRecordError` naming the file: unreadable, not JSON, truncated, or JSON of another kind.
    public static func load(path: String) throws(RunRecordError) -> RunRecord {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RunRecordError(path: path, message: "cannot read it (\(error.localizedDescription))")
        }
        return try decode(data, path: path)
    }

    /// Decodes summary JSON; `path` names the source in errors.
    public static func decode(_ data: Data, path: String) throws(RunRecordError) -> RunRecord {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(RunRecord.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            let head = String(decoding: data.prefix(200), as: UTF8.self)
            if head.hasPrefix("Type,Name,") || head.hasPrefix("Timestamp,") || head.hasPrefix("Method,Name,") {
                throw RunRecordError(path: path, message: "is a Locust CSV file; give the JSON summary of `firedrill load --json FILE`")
            }
            throw RunRecordError(path: path, message: "is not valid JSON (truncated or not a `firedrill load --json` summary)")
        } catch let DecodingError.keyNotFound(key, context) {
            let at = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary (no \(at))")
        } catch {
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary (\(error))")
        }
    }

    /// The stats row of `name` (nil = `Aggregated`); when a name has several methods, the busiest.
    public func entry(named name: String?) -> Entry? {
        guard let name else { return summary.stats.total }
        return summary.stats.entries.filter { $0.name == name }.max { $0.requests < $1.requests }
    }

    /// The intervals of `name` (nil = `Aggregated`), or nil when the file has none for it.
    public func intervals(named name: String?) -> [IntervalStats]? {
        summary.intervals?.first { $0.name == (name ?? "Aggregated") }?.intervals
    }

    /// Request names in the file, in its order (without `Aggregated`).
    public var names: [String] {
        var seen = Set<String>()
        return summary.stats.entries.map(\.name).filter { seen.insert($0).inserted }
    }
}

/// A summary file that cannot be used, with the file's path.
public struct RunRecordError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path) \(message)" }
}
