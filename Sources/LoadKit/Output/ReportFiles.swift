import Foundation
import Synchronization

/// Writes the report files a run asked for: Locust CSV during the run, then JSON, JUnit and HTML at the end.
public final class ReportFiles: Sendable {
    private let csvPrefix: String?
    private let csvFullHistory: Bool
    private let html: String?
    private let json: String?
    private let junit: String?
    private let baseline: RunRecord?
    private let replay: ReplayInfo?
    private let csv = Mutex<CSVState>(CSVState())

    private struct CSVState: @unchecked Sendable {
        var writer: LocustCSVWriter?
        var lastError: String?
    }

    /// Creates a writer; nil paths are skipped. The HTML report overlays `baseline` when given.
    public init(csvPrefix: String?, csvFullHistory: Bool, html: String?, json: String?, junit: String?,
                baseline: RunRecord? = nil, replay: ReplayInfo? = nil) {
        self.baseline = baseline
        self.replay = replay
        self.csvPrefix = csvPrefix
        self.csvFullHistory = csvFullHistory
        self.html = html
        self.json = json
        self.junit = junit
    }

    /// Checks every destination is writable and creates the CSV files (headers only).
    public func prepare(plan: LoadPlan) throws {
        for path in [html, json, junit].compactMap({ $0 }) {
            try Self.checkWritable(path)
        }
        if let csvPrefix {
            try Self.checkWritable(csvPrefix + "_stats.csv")
            let writer = try LocustCSVWriter(prefix: csvPrefix, fullHistory: csvFullHistory)
            csv.withLock { $0.writer = writer }
        }
    }

    /// Writes CSV rows for a snapshot (call on every tick).
    public func tick(_ snapshot: StatsSnapshot) {
        csv.withLock { state in
            do {
                try state.writer?.write(snapshot)
            } catch {
                state.lastError = "\(error)"
            }
        }
    }

    /// Writes the final files; the CSV files already hold the final snapshot.
    public func finish(plan: LoadPlan, summary: RunSummary) throws {
        if let message = csv.withLock({ $0.lastError }) {
            throw ReportError(message: "cannot write CSV files: \(message)")
        }
        if let json {
            try JSONReport(plan: plan, summary: summary, replay: replay).encoded().write(to: URL(fileURLWithPath: json))
        }
        if let junit {
            try Data(JUnitReport.xml(summary).utf8).write(to: URL(fileURLWithPath: junit))
        }
        if let html {
            try Data(HTMLReport.html(plan: plan, summary: summary, baseline: baseline).utf8).write(to: URL(fileURLWithPath: html))
        }
    }

    private static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue,
              FileManager.default.isWritableFile(atPath: dir) else {
            throw ReportError(message: "cannot write \(path): directory \(dir) does not exist or is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw ReportError(message: "cannot write \(path): it is a directory")
        }
    }
}
