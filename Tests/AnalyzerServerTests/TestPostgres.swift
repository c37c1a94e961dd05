import Foundation
import Testing

/// PostgreSQL for service tests: fresh databases on the server `scripts/test` started
/// (`FIREDRILL_TEST_POSTGRES_URL`), or a dedicated server of a test's own (`scripts/postgres`).
enum TestPostgres {
    static let url: String? = ProcessInfo.processInfo.environment["FIREDRILL_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let skipReason: Comment = "FIREDRILL_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (scripts/test starts a server and sets it)"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new empty database on the shared test server; `drop` removes it.
    static func freshDatabase() throws -> (url: String, drop: @Sendable () -> Void) {
        let admin = try #require(url, skipReason)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try run(["psql", admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
        var components = try #require(URLComponents(string: admin))
        components.path = "/" + name
        let fresh = try #require(components.string)
        return (fresh, { _ = try? run(["psql", admin, "-q", "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]) })
    }

    /// `scripts/postgres COMMAND DIR`; returns what it printed.
    @discardableResult
    static func script(_ command: String, _ dir: String) throws -> String {
        try run([repository.appendingPathComponent("scripts/postgres").path, command, dir])
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RawHTTP.Failure(description: "\(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
