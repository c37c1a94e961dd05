import AnalyzerStore
import ArgumentParser
import Foundation
import Logging

/// `csv-analyzer migrate`: applies pending schema migrations and reports the schema version.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations to the store (serve also does this at start-up).",
        discussion: """
            Safe to run while other csv-analyzer processes use the database: each version is applied
            once, under the database's lock. Exits non-zero when the database cannot be reached.
            """)

    @Option(name: .customLong("database-url"), help: "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB [CSV_ANALYZER_DATABASE_URL].")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "Without --database-url: the data directory whose SQLite database to migrate [CSV_ANALYZER_DATA_DIR].")
    var dataDir: String = "data"

    @Flag(name: .customLong("status"), help: "Only print the schema version; apply nothing.")
    var statusOnly = false

    func validate() throws {
        if let databaseURL {
            do { _ = try StoreLocation(parsing: databaseURL) } catch { throw ValidationError("--database-url: \(error.message)") }
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "csv-analyzer.migrate")
        logger.logLevel = .warning
        let location: StoreLocation
        if let databaseURL {
            location = try StoreLocation(parsing: databaseURL)
        } else {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            location = .sqlite(path: URL(fileURLWithPath: dataDir).appendingPathComponent("csv-analyzer.sqlite").path)
        }
        let store: SQLStore
        do {
            store = try await location.open(migrate: false, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(location): \(error)\n".utf8))
            throw ExitCode.failure
        }
        do {
            let before = try await store.schemaVersion()
            if statusOnly {
                print("\(location): schema version \(before) (latest \(SQLStore.latestSchemaVersion))")
            } else {
                let applied = try await store.migrate()
                let after = try await store.schemaVersion()
                let what = applied.isEmpty ? "already current" : "applied " + applied.map(String.init).joined(separator: ", ")
                print("\(location): schema version \(after) (\(what))")
            }
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
