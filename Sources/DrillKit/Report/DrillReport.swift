import Foundation

/// Writes a drill run's three report files into one directory.
public enum DrillReport {
    /// Where `write` put the files.
    public struct Files: Sendable, Equatable {
        /// `journal.json`: the journal itself (`JournalJSON`).
        public var journal: URL
        /// `junit.xml` (`DrillJUnit`).
        public var junit: URL
        /// `report.html` (`DrillHTMLReport`).
        public var html: URL

    }

    /// Creates `directory` (and its parents) and writes `journal.json`, `junit.xml` and `report.html`
    /// into it, each atomically (temporary file, then rename), replacing earlier files.
    /// - Throws: `DrillReportError` naming the directory or file that could not be written.
    @discardableResult
    public static func write(_ journal: DrillJournal, to directory: URL) throws -> Files {
        let files = Files(journal: directory.appendingPathComponent("journal.json"),
                          junit: directory.appendingPathComponent("junit.xml"),
                          html: directory.appendingPathComponent("report.html"))
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DrillReportError(path: directory.path, message: "cannot create the directory: \(error.localizedDescription)")
        }
        let json: Data
        do {
            json = try JournalJSON.encode(journal)
        } catch {
            throw DrillReportError(path: files.journal.path, message: "cannot encode the journal: \(error)")
        }
        try AtomicFile.write(json, to: files.journal)
        try AtomicFile.write(Data(DrillJUnit.render(journal).utf8), to: files.junit)
        try AtomicFile.write(Data(DrillHTMLReport.render(journal).utf8), to: files.html)
        return files
    }
}
