import FiredrillSupport
import Foundation

/// A finished run read back from the JSON summary `firedrill load --json` writes: what baseline
/// thresholds, the HTML overlay and `firedrill compare` need (the stats rows are the run's own
/// ``EntryStats``; other parts of the file are not read, so they may change).
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
        /// Per request (method, name), as the file holds them (no histograms: ``EntryStats/levelPercentile(_:)``).
        public var entries: [EntryStats]
        /// All requests (`Aggregated`).
        public var total: EntryStats
        /// Open-model counters (nil in the closed model).
        public var arrival: ArrivalStats?
    }

    /// Reads a summary file.
    /// - Throws: `RunRecordError` naming the file: unreadable, not JSON, truncated, or JSON of another kind.
    public static func load(path: String) throws(RunRecordError) -> RunRecord {
        let data: Data
        do {
            data = try FileBytes.read(path)
        } catch {
            throw RunRecordError(path: path, message: error.reason)
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
        } catch let DecodingError.typeMismatch(type, context) {
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary (\(Self.place(context)): expected \(Self.kind(type)))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary (\(Self.place(context)): expected \(Self.kind(type)), found null)")
        } catch let DecodingError.dataCorrupted(context) {
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary (\(Self.place(context)): \(context.debugDescription))")
        } catch {
            throw RunRecordError(path: path, message: "is not a `firedrill load --json` summary")
        }
    }

    /// Where a decoding error is, as a JSON path (`summary.stats.total.requests`; `the top level`).
    private static func place(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top level"
            : context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// A decoded type in JSON's words (an object, an array, a number, a string).
    private static func kind(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "an array" }
        if ["Int", "Double", "UInt64", "Int64", "Float"].contains(name) { return "a number" }
        if name == "String" { return "a string" }
        if name == "Bool" { return "true or false" }
        return "a value of another type"
    }

    /// The stats row of `name` (nil = `Aggregated`); when a name has several methods, the busiest.
    public func entry(named name: String?) -> EntryStats? {
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

extension EntryStats {
    /// Reads a stats row of a summary file: the fields baselines and comparisons use are required, the
    /// others (median, content sizes, last-second figures) read as 0 when a file lacks them. No histogram.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(String.self, forKey: .method)
        name = try c.decode(String.self, forKey: .name)
        requests = try c.decode(Int.self, forKey: .requests)
        failures = try c.decode(Int.self, forKey: .failures)
        avgMs = try c.decode(Double.self, forKey: .avgMs)
        minMs = try c.decode(Double.self, forKey: .minMs)
        maxMs = try c.decode(Double.self, forKey: .maxMs)
        rps = try c.decode(Double.self, forKey: .rps)
        fps = try c.decode(Double.self, forKey: .fps)
        percentiles = try c.decode([Double].self, forKey: .percentiles)
        medianMs = try c.decodeIfPresent(Double.self, forKey: .medianMs) ?? percentiles.first ?? 0
        avgContentSize = try c.decodeIfPresent(Double.self, forKey: .avgContentSize) ?? 0
        totalContentBytes = try c.decodeIfPresent(Int.self, forKey: .totalContentBytes) ?? 0
        currentRps = try c.decodeIfPresent(Double.self, forKey: .currentRps) ?? 0
        currentFps = try c.decodeIfPresent(Double.self, forKey: .currentFps) ?? 0
        currentPercentiles = try c.decodeIfPresent([Double].self, forKey: .currentPercentiles) ?? []
    }

    /// Latency at `p` when it is one of ``levels``, from ``percentiles``: what a summary file keeps (an
    /// entry read back by ``RunRecord`` has no histogram for ``percentile(_:)``).
    public func levelPercentile(_ p: Double) -> Double? {
        guard let i = Self.levels.firstIndex(of: p), i < percentiles.count else { return nil }
        return percentiles[i]
    }
}

/// A summary file that cannot be used, with the file's path.
public struct RunRecordError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong with it.
    public var message: String

    public var description: String { "\(path) \(message)" }
}
