import Foundation

/// The file store under `--data-dir`: `datasets/ID.csv`, `models/ID.model`, `tmp/` for writes in
/// progress, and the SQLite database. Files become visible only by an atomic rename, so a crash
/// leaves either the whole file or a temp file that the next start-up removes.
public struct DataDirectory: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    var datasets: URL { root.appendingPathComponent("datasets", isDirectory: true) }
    var models: URL { root.appendingPathComponent("models", isDirectory: true) }
    var temporary: URL { root.appendingPathComponent("tmp", isDirectory: true) }
    /// The embedded SQLite database file.
    public var databasePath: String { root.appendingPathComponent("csv-analyzer.sqlite").path }

    func datasetFile(_ id: String) -> URL { datasets.appendingPathComponent(id + ".csv") }
    func modelFile(_ id: String) -> URL { models.appendingPathComponent(id + ".model") }

    /// Creates the folders and removes leftovers of interrupted writes.
    public func prepare() throws {
        let fm = FileManager.default
        for dir in [root, datasets, models, temporary] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        for leftover in (try? fm.contentsOfDirectory(at: temporary, includingPropertiesForKeys: nil)) ?? [] {
            try? fm.removeItem(at: leftover)
        }
    }

    /// A fresh path under `tmp/`.
    func temporaryFile(_ suffix: String) -> URL {
        temporary.appendingPathComponent(Identifiers.make("tmp") + suffix)
    }

    /// Writes `data` to `destination` through a temp file, fsync and rename.
    func writeAtomically(_ data: Data, to destination: URL) throws {
        let temp = temporaryFile(".part")
        try data.write(to: temp)
        try sync(temp)
        try move(temp, to: destination)
    }

    /// Flushes a file's bytes to disk.
    func sync(_ url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.synchronize()
    }

    /// Atomically renames `source` over `destination`.
    func move(_ source: URL, to destination: URL) throws {
        if rename(source.path, destination.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
    }

    /// Removes files under datasets/ and models/ whose id is not in the given sets (left by a crash
    /// between the rename and the database insert).
    func removeOrphans(datasetIDs: Set<String>, modelIDs: Set<String>) -> [String] {
        var removed: [String] = []
        let fm = FileManager.default
        for (dir, ids) in [(datasets, datasetIDs), (models, modelIDs)] {
            for file in (try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [] {
                let id = file.deletingPathExtension().lastPathComponent
                if !ids.contains(id) {
                    try? fm.removeItem(at: file)
                    removed.append(file.lastPathComponent)
                }
            }
        }
        return removed
    }
}
