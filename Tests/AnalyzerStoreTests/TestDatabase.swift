import AnalyzerStore
import Foundation
import Testing

/// The back-ends the contract suite runs against, and a fresh, empty database of each per test.
///
/// PostgreSQL needs `FIREDRILL_TEST_POSTGRES_URL` (set by `scripts/test`, which starts a throwaway
/// server): each test creates its own database there and drops it afterwards.
enum TestDatabase: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgresql

    var testDescription: String { rawValue }

    /// The admin URL of the test server, when there is one.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["FIREDRILL_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static let skipReason: Comment = "FIREDRILL_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (scripts/test starts a server and sets it)"

    /// SQLite always; PostgreSQL when a test server is configured.
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgresql] }

    /// A fresh database: its location, its URL (with the password) and `cleanup`, which removes it.
    func makeLocation() throws -> (location: StoreLocation, url: String, cleanup: @Sendable () -> Void) {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("test.sqlite").path
            return (.sqlite(path: path), "sqlite:" + path, { try? FileManager.default.removeItem(at: dir) })
        case .postgresql:
            let admin = try #require(Self.postgresURL, Self.skipReason)
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try Self.psql(admin, "CREATE DATABASE \(name)")
            let url = try Self.replacingDatabase(in: admin, with: name)
            var location = try StoreLocation(parsing: url)
            if case .postgres(var postgres) = location {
                // Every suite runs in parallel on a shared test server: wait longer for a pooled
                // connection than the service's fail-fast 3 s (not in the URL: psql gets it too).
                postgres.leaseTimeoutSeconds = max(postgres.leaseTimeoutSeconds, 20)
                location = .postgres(postgres)
            }
            return (location, url, { try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") })
        }
    }

    /// Runs `body` with a migrated store on a fresh database, then closes and removes it.
    func withStore<T>(_ body: (SQLStore, StoreLocation) async throws -> T) async throws -> T {
        let (location, _, cleanup) = try makeLocation()
        defer { cleanup() }
        let store = try await location.open()
        do {
            let result = try await body(store, location)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The `csv-analyzer` binary built next to this test bundle (or `CSV_ANALYZER_BIN`).
    static func csvAnalyzerBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["CSV_ANALYZER_BIN"] { return URL(fileURLWithPath: path) }
        let url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("csv-analyzer")
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "csv-analyzer is not built at \(url.path): run `swift build --build-tests`")
        return url
    }

    /// `url` with its database name replaced.
    static func replacingDatabase(in url: String, with name: String) throws -> String {
        var components = try #require(URLComponents(string: url))
        components.path = "/" + name
        return try #require(components.string)
    }

    /// Runs one SQL statement with psql (the client that comes with Debian's postgresql).
    static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PSQLFailure(message: "psql '\(sql)' failed: \(message)")
        }
    }

    struct PSQLFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
