import Foundation

/// The file store under `--data-dir`: `datasets/ID.csv`, `models/ID.model`, `tmp/` for writes in
/// progress (named after their process), and the SQLite database. Files become visible only by an atomic rename, so a
/// crash leaves either the whole file or a temp file that the next start-up removes. Processes that
/// share a database share this directory too (same host, or a shared volume).
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

    /// How long another host's temp file may sit untouched before it counts as abandoned.
    static let foreignTemporaryLifetime: TimeInterval = 24 * 3600
    /// Files younger than this are never treated as orphans: a live process may be between the
    /// rename and the database insert.
    static let orphanGrace: TimeInterval = 600

    /// Creates the folders and removes leftovers of interrupted writes: temp files of processes that
    /// are dead (this host) or silent for a day (other hosts sharing the directory). The temp files
    /// of live processes (other workers, other replicas) are left alone.
    public func prepare() throws {
        let fm = FileManager.default
        for dir in [root, datasets, models, temporary] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        for entry in (try? fm.contentsOfDirectory(at: temporary, includingPropertiesForKeys: keys)) ?? [] {
            let parts = entry.lastPathComponent.split(separator: "@", maxSplits: 2)
            guard parts.count == 3, let pid = Int32(parts[0]) else {
                try? fm.removeItem(at: entry)
                continue
            }
            if parts[1] == ProcessIdentity.host {
                if !ProcessIdentity.isAlive(pid) { try? fm.removeItem(at: entry) }
            } else {
                let modified = (try? entry.resourceValues(forKeys: Set(keys)))?.contentModificationDate ?? .distantPast
                if Date().timeIntervalSince(modified) > Self.foreignTemporaryLifetime { try? fm.removeItem(at: entry) }
            }
        }
    }

    /// A fresh path under `tmp/`, named `PID@HOST@tmp_ID SUFFIX` so that a starting process can tell
    /// whose it is.
    func temporaryFile(_ suffix: String) -> URL {
        temporary.appendingPathComponent("\(ProcessIdentity.pid)@\(ProcessIdentity.host)@" + Identifiers.make("tmp") + suffix)
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

    /// Atomically renames `source` over `destination` (its modification time set to now first, so
    /// that the orphan sweep's grace period counts from the rename).
    func move(_ source: URL, to destination: URL) throws {
        _ = utimes(source.path, nil)
        if rename(source.path, destination.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
    }

    /// Removes files under datasets/ and models/ whose id is not in the given sets (left by a crash
    /// between the rename and the database insert), once they are older than ``orphanGrace``.
    func removeOrphans(datasetIDs: Set<String>, modelIDs: Set<String>) -> [String] {
        var removed: [String] = []
        let fm = FileManager.default
        for (dir, ids) in [(datasets, datasetIDs), (models, modelIDs)] {
            for file in (try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [] {
                let id = file.deletingPathExtension().lastPathComponent
                let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
                if !ids.contains(id), Date().timeIntervalSince(modified ?? .distantPast) > Self.orphanGrace {
                    try? fm.removeItem(at: file)
                    removed.append(file.lastPathComponent)
                }
            }
        }
        return removed
    }
}
